import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, todayIso } from './dates';

describe('formatDate', () => {
  it('formats calendar dates in id-ID without a zone shift', () => {
    expect(formatDate('2025-03-01')).toMatch(/^1 Mar 2025$/);
    expect(formatDate('2025-12-31')).toMatch(/^31 Des 2025$/);
  });
  it('passes through odd input and shows a dash for nothing', () => {
    expect(formatDate('soon')).toBe('soon');
    expect(formatDate(null)).toBe('—');
    expect(formatDate('')).toBe('—');
  });
});

describe('formatDateTime', () => {
  it('formats instants and never emits non-breaking spaces', () => {
    const text = formatDateTime('2025-03-01T07:05:00Z');
    expect(text).toMatch(/2025/);
    expect(text).not.toMatch(/[\u00a0\u202f]/);
    expect(formatDateTime(undefined)).toBe('—');
  });
});

describe('todayIso', () => {
  it('pads month and day', () => {
    expect(todayIso(new Date(2025, 0, 5))).toBe('2025-01-05');
  });
});

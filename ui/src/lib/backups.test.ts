import { describe, expect, it } from 'vitest';
import { formatBytes, formatMs } from './backups';

describe('backup figures', () => {
  it('shows sizes in binary units with an Indonesian decimal comma', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1,5 KB');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
  });

  it('shows durations in ms, seconds or minutes', () => {
    expect(formatMs(undefined)).toBe('—');
    expect(formatMs(45)).toBe('45 ms');
    expect(formatMs(1234)).toBe('1,2 s');
    expect(formatMs(125_000)).toBe('2 m 5 s');
  });
});

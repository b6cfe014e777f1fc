import { describe, expect, it } from 'vitest';
import { formatAuditValue, formatCpu, formatDuration, formatFingerprint, formatMemory } from './routerFormat';

describe('router figures', () => {
  it('shows free memory in MiB', () => {
    expect(formatMemory(null)).toBe('—');
    expect(formatMemory(64 * 1024 * 1024)).toBe('64 MiB');
    expect(formatMemory(1.5 * 1024 * 1024)).toBe('1,5 MiB');
    expect(formatMemory(1434 * 1024 * 1024)).toBe('1,4 GiB');
  });

  it('shows CPU load in percent', () => {
    expect(formatCpu(undefined)).toBe('—');
    expect(formatCpu(7)).toBe('7%');
  });

  it('shows durations with two units', () => {
    expect(formatDuration(12)).toBe('12s');
    expect(formatDuration(309)).toBe('5m 09s');
    expect(formatDuration(7380)).toBe('2h 03m');
    expect(formatDuration(3 * 86400 + 4 * 3600 + 5)).toBe('3d 04h');
  });

  it('shows audit values on one line', () => {
    expect(formatAuditValue(null)).toBe('—');
    expect(formatAuditValue({ profile: 'isolir', disabled: false })).toBe('profile=isolir, disabled=false');
    expect(formatAuditValue('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('formatFingerprint', () => {
  it('groups the 64 hex digits by 8, lowercase like RouterOS', () => {
    const hex = 'AFE0E94EC46F8EAED5BF018D520CAC75DBCAE5717FC9C2EF9E3CED82046900DF';
    expect(formatFingerprint(hex)).toBe('afe0e94e c46f8eae d5bf018d 520cac75 dbcae571 7fc9c2ef 9e3ced82 046900df');
    expect(formatFingerprint(hex).replaceAll(' ', '')).toBe(hex.toLowerCase());
  });
});

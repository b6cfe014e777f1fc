import { describe, expect, it } from 'vitest';
import {
  batchLabel,
  formatBytes,
  formatCommission,
  formatDuration,
  joinDuration,
  joinQuota,
  percentToBp,
  splitDuration,
  splitQuota,
} from './voucherFormat';

describe('voucher durations', () => {
  it('reads like people say it, in both languages', () => {
    expect(formatDuration(86400)).toBe('1 hari');
    expect(formatDuration(3 * 3600)).toBe('3 jam');
    expect(formatDuration(86400 + 2 * 3600)).toBe('1 hari 2 jam');
    expect(formatDuration(5400)).toBe('1 jam 30 menit');
    expect(formatDuration(45)).toBe('45 detik');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(86400, 'en')).toBe('1 day');
    expect(formatDuration(7 * 86400, 'en')).toBe('7 days');
    expect(formatDuration(3600 + 60, 'en')).toBe('1 hour 1 minute');
  });

  it('does not skip a unit in the middle', () => {
    expect(formatDuration(86400 + 300)).toBe('1 hari');
  });

  it('round-trips through the number + unit input', () => {
    expect(splitDuration(86400 * 30)).toEqual({ value: 30, unit: 'day' });
    expect(splitDuration(3 * 3600)).toEqual({ value: 3, unit: 'hour' });
    expect(splitDuration(90 * 60)).toEqual({ value: 90, unit: 'minute' });
    expect(splitDuration(null)).toBeNull();
    expect(joinDuration(3, 'hour')).toBe(10800);
    expect(joinDuration(1, 'day')).toBe(86400);
    expect(joinDuration(null, 'day')).toBeNull();
    expect(joinDuration(0, 'day')).toBeNull();
  });
});

describe('voucher quotas', () => {
  it('shows bytes in RouterOS units', () => {
    expect(formatBytes(500 * 1024 ** 2)).toBe('500 MB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1,5 GB');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(12)).toBe('12 B');
    expect(formatBytes(undefined)).toBe('—');
  });

  it('round-trips through the number + unit input', () => {
    expect(splitQuota(2 * 1024 ** 3)).toEqual({ value: 2, unit: 'GB' });
    expect(splitQuota(1.5 * 1024 ** 3)).toEqual({ value: 1.5, unit: 'GB' });
    expect(splitQuota(500 * 1024 ** 2)).toEqual({ value: 500, unit: 'MB' });
    expect(joinQuota(1, 'GB')).toBe(1024 ** 3);
    expect(joinQuota(500, 'MB')).toBe(500 * 1024 ** 2);
    expect(joinQuota(null, 'GB')).toBeNull();
  });
});

describe('commissions and serials', () => {
  it('converts percent and basis points', () => {
    expect(formatCommission(1000)).toBe('10 %');
    expect(formatCommission(1250)).toBe('12,5 %');
    expect(percentToBp(10)).toBe(1000);
    expect(percentToBp(12.5)).toBe(1250);
    expect(percentToBp(101)).toBeNull();
    expect(percentToBp(null)).toBeNull();
  });

  it('labels batches and vouchers like the printed cards', () => {
    expect(batchLabel(12)).toBe('B12');
    expect(batchLabel(12, 7)).toBe('B12-0007');
  });
});

import { describe, expect, it } from 'vitest';
import { formatRupiah } from './money';

describe('formatRupiah', () => {
  it.each([
    [0, 'Rp 0'],
    [1, 'Rp 1'],
    [999, 'Rp 999'],
    [1000, 'Rp 1.000'],
    [150000, 'Rp 150.000'],
    [1234567, 'Rp 1.234.567'],
    [-5000, '-Rp 5.000'],
    [-1, '-Rp 1'],
  ])('formats %s as %s', (amount, expected) => {
    expect(formatRupiah(amount)).toBe(expected);
  });

  it('formats bigint amounts beyond the safe integer range exactly', () => {
    expect(formatRupiah(9007199254740993n)).toBe('Rp 9.007.199.254.740.993');
    expect(formatRupiah(-150000n)).toBe('-Rp 150.000');
  });

  it('never emits a non-breaking space', () => {
    expect(formatRupiah(150000)).not.toMatch(/[\u00a0\u202f]/);
  });

  it('treats negative zero as zero', () => {
    expect(formatRupiah(-0)).toBe('Rp 0');
  });

  it('rejects fractional and non-finite amounts', () => {
    expect(() => formatRupiah(1.5)).toThrow(RangeError);
    expect(() => formatRupiah(Number.NaN)).toThrow(RangeError);
    expect(() => formatRupiah(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

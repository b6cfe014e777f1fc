import { describe, expect, it } from 'vitest';
import { formatRupiah, formatRupiahInput, formatRupiahShort, formatSignedRupiah, parseRupiahInput } from './money';

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

describe('formatSignedRupiah', () => {
  it('adds a plus sign to credits only', () => {
    expect(formatSignedRupiah(20000)).toBe('+Rp 20.000');
    expect(formatSignedRupiah(-5000)).toBe('-Rp 5.000');
    expect(formatSignedRupiah(0)).toBe('Rp 0');
  });
});

describe('parseRupiahInput', () => {
  it.each([
    ['150000', 150000],
    ['150.000', 150000],
    ['Rp 150.000', 150000],
    ['rp150.000', 150000],
    [' 1.234.567 ', 1234567],
    ['0', 0],
  ])('reads %j as %s', (text, expected) => {
    expect(parseRupiahInput(text)).toBe(expected);
  });

  it.each(['', '   ', 'abc', '150,5', '1e5', '15O.000', '-5.000', '9007199254740993'])(
    'rejects %j',
    (text) => {
      expect(parseRupiahInput(text)).toBeNull();
    },
  );

  it('accepts a minus sign only when allowed', () => {
    expect(parseRupiahInput('-5.000', true)).toBe(-5000);
    expect(parseRupiahInput('-Rp 5.000', true)).toBe(-5000);
    expect(parseRupiahInput('−200', true)).toBe(-200);
    expect(parseRupiahInput('-', true)).toBeNull();
  });
});

describe('formatRupiahInput', () => {
  it('groups thousands for display while typing', () => {
    expect(formatRupiahInput(150000)).toBe('150.000');
    expect(formatRupiahInput(-5000)).toBe('-5.000');
    expect(formatRupiahInput(0)).toBe('0');
    expect(formatRupiahInput(null)).toBe('');
  });
});

describe('formatRupiahShort', () => {
  it.each([
    [0, '0'],
    [500, '500'],
    [140_000, '140 rb'],
    [1_500_000, '1,5 jt'],
    [2_000_000_000, '2 M'],
    [-35_000, '-35 rb'],
  ])('%d → %s', (value, expected) => {
    expect(formatRupiahShort(value)).toBe(expected);
  });
});

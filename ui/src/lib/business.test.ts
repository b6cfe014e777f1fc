import { describe, expect, it } from 'vitest';
import { LOGO_MAX_BYTES, bpToPercent, logoProblem, percentToBp } from './business';

describe('tax rate conversion', () => {
  it.each([
    ['11', 1100],
    ['0', 0],
    ['12.5', 1250],
    ['11,5', 1150],
    [10.25, 1025],
    ['100', 10000],
  ])('%j %% is %s basis points', (input, bp) => {
    expect(percentToBp(input)).toBe(bp);
  });
  it.each(['', 'abc', '-1', '100.01', '1.234', '1e2'])('rejects %j', (input) => {
    expect(percentToBp(input)).toBeNull();
  });
  it('goes back to percent', () => {
    expect(bpToPercent(1100)).toBe(11);
    expect(bpToPercent(1250)).toBe(12.5);
  });
});

describe('logoProblem', () => {
  it('accepts images up to 200 KB', () => {
    expect(logoProblem({ size: LOGO_MAX_BYTES, type: 'image/png' })).toBeNull();
  });
  it('rejects bigger files and non-images', () => {
    expect(logoProblem({ size: LOGO_MAX_BYTES + 1, type: 'image/png' })).toBe('too_big');
    expect(logoProblem({ size: 10, type: 'application/pdf' })).toBe('not_image');
  });
});

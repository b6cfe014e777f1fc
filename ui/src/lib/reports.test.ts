import { describe, expect, it } from 'vitest';
import { fileNameFrom, monthLabel } from './reports';

describe('reports helpers', () => {
  it('takes the file name from Content-Disposition', () => {
    expect(fileNameFrom('attachment; filename="mikrobill_revenue_2026-01-01_2026-12-31.csv"', 'x.csv')).toBe(
      'mikrobill_revenue_2026-01-01_2026-12-31.csv',
    );
    expect(fileNameFrom(null, 'x.csv')).toBe('x.csv');
  });
  it('shows months the Indonesian way', () => {
    expect(monthLabel('2026-03')).toBe('Mar 2026');
    expect(monthLabel('total')).toBe('total');
  });
});

import { describe, expect, it } from 'vitest';
import { proposeRouter } from './proposeRouter';

describe('proposeRouter', () => {
  it('proposes the only router, even never used', () => {
    expect(proposeRouter([{ id: 'a', last_used_at: null }])).toBe('a');
  });
  it('proposes the last used of several (by time, not by text)', () => {
    expect(
      proposeRouter([
        { id: 'a', last_used_at: '2026-11-28T01:00:00Z' },
        { id: 'b', last_used_at: '2026-11-28T01:00:00.500Z' },
        { id: 'c', last_used_at: null },
      ]),
    ).toBe('b');
  });
  it('proposes nothing when several were never used, or there is none', () => {
    expect(proposeRouter([{ id: 'a' }, { id: 'b', last_used_at: null }])).toBeNull();
    expect(proposeRouter([])).toBeNull();
  });
});

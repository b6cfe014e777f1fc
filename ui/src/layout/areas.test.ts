import { describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import id from '../i18n/id.json';
import { AREAS, NAV_GROUPS } from './areas';

describe('navigation groups', () => {
  it('put every area in exactly one group', () => {
    const grouped = NAV_GROUPS.flatMap((g) => g.areas);
    expect([...grouped].sort()).toEqual(AREAS.map((a) => a.key).sort());
    expect(new Set(grouped).size).toBe(grouped.length);
  });

  it('name every group with a heading in both languages (except the home link)', () => {
    for (const group of NAV_GROUPS.filter((g) => g.key !== 'home')) {
      expect((id.nav.groups as Record<string, string>)[group.key]).toBeTruthy();
      expect((en.nav.groups as Record<string, string>)[group.key]).toBeTruthy();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { ianaZones, timezoneGroups } from './timezones';

const labels = { indonesia: 'Indonesia', other: 'Other' };

describe('timezoneGroups', () => {
  it('puts WIB, WITA and WIT first, then the other zones sorted, without repeats', () => {
    const groups = timezoneGroups(['UTC', 'Asia/Makassar', 'Europe/Berlin', 'Asia/Jakarta', 'Asia/Jayapura'], 'Asia/Jakarta', labels);
    expect(groups[0]).toEqual({
      group: 'Indonesia',
      items: [
        { value: 'Asia/Jakarta', label: 'WIB (Asia/Jakarta)' },
        { value: 'Asia/Makassar', label: 'WITA (Asia/Makassar)' },
        { value: 'Asia/Jayapura', label: 'WIT (Asia/Jayapura)' },
      ],
    });
    expect(groups[1]).toEqual({
      group: 'Other',
      items: [
        { value: 'Europe/Berlin', label: 'Europe/Berlin' },
        { value: 'UTC', label: 'UTC' },
      ],
    });
  });

  it('keeps a saved zone the browser does not list', () => {
    const groups = timezoneGroups(['UTC'], 'Asia/Ujung_Pandang', labels);
    expect(groups[1]?.items.map((i) => i.value)).toEqual(['Asia/Ujung_Pandang', 'UTC']);
  });
});

describe('ianaZones', () => {
  it('lists the Indonesian zones among many', () => {
    const zones = ianaZones();
    expect(zones).toEqual(expect.arrayContaining(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura']));
  });
});

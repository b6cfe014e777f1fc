// Time zone choices for the ISP profile: the three Indonesian zones first (WIB, WITA, WIT),
// then every other IANA zone the browser knows, for a searchable select.

/** The Indonesian zones, in the order shown, with their common abbreviation. */
export const INDONESIAN_ZONES = [
  { value: 'Asia/Jakarta', abbr: 'WIB' },
  { value: 'Asia/Makassar', abbr: 'WITA' },
  { value: 'Asia/Jayapura', abbr: 'WIT' },
] as const;

export interface ZoneGroup {
  group: string;
  items: { value: string; label: string }[];
}

/** Every IANA zone name of this browser (a short list where it cannot say). */
export function ianaZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    const zones = intl.supportedValuesOf?.('timeZone');
    if (zones && zones.length > 0) return zones;
  } catch {
    // Older engines: fall through.
  }
  return ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura', 'Asia/Singapore', 'Asia/Kuala_Lumpur', 'UTC'];
}

/**
 * The select's groups: Indonesia (labelled "WIB (Asia/Jakarta)" …), then the other zones
 * sorted by name. `current` is always offered, even when the browser does not list it (a zone
 * chosen on another machine, or an alias such as Asia/Ujung_Pandang), so the form never drops it.
 */
export function timezoneGroups(all: readonly string[], current: string, labels: { indonesia: string; other: string }): ZoneGroup[] {
  const indonesian = new Set<string>(INDONESIAN_ZONES.map((z) => z.value));
  const others = new Set(all.filter((z) => !indonesian.has(z)));
  if (current && !indonesian.has(current)) others.add(current);
  return [
    {
      group: labels.indonesia,
      items: INDONESIAN_ZONES.map((z) => ({ value: z.value, label: `${z.abbr} (${z.value})` })),
    },
    {
      group: labels.other,
      items: [...others].sort().map((z) => ({ value: z, label: z })),
    },
  ];
}

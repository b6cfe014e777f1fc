// Voucher limits as people say them: durations in days/hours/minutes ("1 hari", "3 jam"),
// data quotas in MB/GB, commissions in percent. The API keeps seconds, bytes and basis points;
// the conversion happens only here. Numbers use id-ID digits whatever the language (like dates).

export type DurationUnit = 'minute' | 'hour' | 'day';
export type QuotaUnit = 'MB' | 'GB';

export const DURATION_UNITS: readonly DurationUnit[] = ['minute', 'hour', 'day'];
export const QUOTA_UNITS: readonly QuotaUnit[] = ['MB', 'GB'];

const SECONDS: Record<DurationUnit | 'second', number> = { second: 1, minute: 60, hour: 3600, day: 86400 };
// RouterOS reads "1G" in limit-bytes-total as 1024³, so a "GB" here is the router's GB.
const BYTES: Record<QuotaUnit, number> = { MB: 1024 ** 2, GB: 1024 ** 3 };

const WORDS = {
  id: { second: ['detik', 'detik'], minute: ['menit', 'menit'], hour: ['jam', 'jam'], day: ['hari', 'hari'] },
  en: { second: ['second', 'seconds'], minute: ['minute', 'minutes'], hour: ['hour', 'hours'], day: ['day', 'days'] },
} as const;

type Lang = keyof typeof WORDS;

const lang = (l: string): Lang => (l === 'en' ? 'en' : 'id');
const decimal = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 });

function words(n: number, unit: keyof typeof SECONDS, l: Lang): string {
  return `${n} ${WORDS[l][unit][n === 1 ? 0 : 1]}`;
}

/**
 * Seconds → at most two units, largest first: 86400 → "1 hari", 10800 → "3 jam",
 * 93600 → "1 hari 2 jam", 5400 → "1 jam 30 menit", 45 → "45 detik". null → "—".
 */
export function formatDuration(secs: number | null | undefined, language = 'id'): string {
  if (secs === null || secs === undefined) return '—';
  const l = lang(language);
  let rest = Math.max(0, Math.floor(secs));
  if (rest === 0) return words(0, 'minute', l);
  const parts: string[] = [];
  for (const unit of ['day', 'hour', 'minute', 'second'] as const) {
    const n = Math.floor(rest / SECONDS[unit]);
    if (n > 0) {
      parts.push(words(n, unit, l));
      rest -= n * SECONDS[unit];
    } else if (parts.length > 0) {
      break; // "1 hari 5 menit" would read like a typo; the second unit is the next one only
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** Seconds → the largest unit that divides them exactly, for the number + unit input. */
export function splitDuration(secs: number | null | undefined): { value: number; unit: DurationUnit } | null {
  if (secs === null || secs === undefined) return null;
  for (const unit of ['day', 'hour'] as const) {
    if (secs > 0 && secs % SECONDS[unit] === 0) return { value: secs / SECONDS[unit], unit };
  }
  return { value: Math.max(1, Math.round(secs / 60)), unit: 'minute' };
}

/** Number + unit → seconds; null when the number is empty (no limit) or not positive. */
export function joinDuration(value: number | null, unit: DurationUnit): number | null {
  if (value === null || !Number.isFinite(value) || value <= 0) return null;
  return Math.round(value * SECONDS[unit]);
}

/** Bytes → "500 MB", "1,5 GB" (RouterOS units, 1024-based); null → "—". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < BYTES.MB) return bytes < 1024 ? `${bytes} B` : `${decimal.format(bytes / 1024)} KB`;
  if (bytes < BYTES.GB) return `${decimal.format(bytes / BYTES.MB)} MB`;
  return `${decimal.format(bytes / BYTES.GB)} GB`;
}

/** Bytes → GB when whole GB (or at least 1 GB in tenths), else MB, for the quota input. */
export function splitQuota(bytes: number | null | undefined): { value: number; unit: QuotaUnit } | null {
  if (bytes === null || bytes === undefined) return null;
  if (bytes >= BYTES.GB && (bytes * 10) % BYTES.GB === 0) return { value: bytes / BYTES.GB, unit: 'GB' };
  return { value: Math.round((bytes / BYTES.MB) * 10) / 10, unit: 'MB' };
}

/** Number + unit → bytes; null when empty or not positive. */
export function joinQuota(value: number | null, unit: QuotaUnit): number | null {
  if (value === null || !Number.isFinite(value) || value <= 0) return null;
  return Math.round(value * BYTES[unit]);
}

/** Basis points → "10 %", "12,5 %". */
export function formatCommission(bp: number): string {
  return `${new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 }).format(bp / 100)} %`;
}

/** A percentage typed by a person → basis points (10 → 1000); null when outside 0–100. */
export function percentToBp(percent: number | null): number | null {
  if (percent === null || !Number.isFinite(percent) || percent < 0 || percent > 100) return null;
  return Math.round(percent * 100);
}

/** The serial printed on a card: batch 12, voucher 7 → "B12-0007"; a batch alone → "B12". */
export function batchLabel(number: number, seq?: number): string {
  return seq === undefined ? `B${number}` : `B${number}-${String(seq).padStart(4, '0')}`;
}

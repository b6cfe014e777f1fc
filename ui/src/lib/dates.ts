// Dates as shown to people: always Indonesian format (id-ID), whatever the UI language.
// `YYYY-MM-DD` values are calendar dates in the business time zone and are formatted as such
// (never shifted by the browser's zone); instants (RFC 3339) use the browser's zone.

const dateFormat = new Intl.DateTimeFormat('id-ID', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const dateTimeFormat = new Intl.DateTimeFormat('id-ID', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

const clean = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

/** "2025-03-01" → "1 Mar 2025"; anything unparsable is returned unchanged; null → "—". */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || Number.isNaN(date.getTime())) return value;
  return clean(dateFormat.format(date));
}

/** An RFC 3339 instant in the browser's zone, e.g. "1 Mar 2025, 14.05". */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return clean(dateTimeFormat.format(date));
}

/** Today's date as YYYY-MM-DD in the browser's zone (default for date inputs). */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// Router figures as people read them: free memory in MiB, session uptime as "2h 03m", and
// audit before/after values as short one-line text.

/** Bytes → "64 MiB" or "1,4 GiB" (id-ID digits); null → "—". */
export function formatMemory(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  const mib = bytes / (1024 * 1024);
  const [value, unit] = mib >= 1024 ? [mib / 1024, 'GiB'] : [mib, 'MiB'];
  return `${new Intl.NumberFormat('id-ID', { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value)} ${unit}`;
}

/** CPU load in percent; null → "—". */
export function formatCpu(load: number | null | undefined): string {
  return load === null || load === undefined ? '—' : `${load}%`;
}

/** Seconds → "3d 04h", "2h 03m", "5m 09s" or "12s". */
export function formatDuration(totalSecs: number): string {
  const s = Math.max(0, Math.floor(totalSecs));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${pad(h)}h`;
  if (h > 0) return `${h}h ${pad(m)}m`;
  if (m > 0) return `${m}m ${pad(sec)}s`;
  return `${sec}s`;
}

/** An audit value (any JSON) as one short line: objects as `key=value` pairs. */
export function formatAuditValue(value: unknown, max = 120): string {
  if (value === null || value === undefined || value === '') return '—';
  let text: string;
  if (typeof value === 'object' && !Array.isArray(value)) {
    text = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ');
  } else {
    text = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A SHA-256 certificate fingerprint as RouterOS prints it (lowercase hex), in groups of 8 so it
 * is easier to compare by eye with `/certificate print detail`.
 */
export function formatFingerprint(hex: string): string {
  return (hex.toLowerCase().match(/.{1,8}/g) ?? []).join(' ');
}

// Backup helpers: the download (needs the bearer token, so it is fetched as a blob) and the
// figures shown in the list.
import { api } from '../api/client';
import { toApiError } from '../api/errors';

/** Saves the backup file under its own name. */
export async function downloadBackup(id: string, fileName: string): Promise<void> {
  const { data, error, response } = await api.GET('/api/backups/{id}/download', {
    params: { path: { id } },
    parseAs: 'blob',
  });
  if (!response.ok || !data) throw toApiError(error, response);
  const url = URL.createObjectURL(new Blob([data as Blob], { type: 'application/gzip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const number1 = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 });

/** 1536 → "1,5 KB"; null → "—". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : number1.format(value)} ${units[unit]}`;
}

/** 1234 → "1,2 s", 45 → "45 ms"; null → "—". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${number1.format(ms / 1000)} s`;
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
}

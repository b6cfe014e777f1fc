// Reports: names, the filter kept in the address, and CSV/XLSX downloads (fetched with the
// bearer token as a blob, saved under the server's file name).
import { api } from '../api/client';
import { toApiError } from '../api/errors';

export const REPORTS = [
  'revenue',
  'payments-by-method',
  'payments-by-cashier',
  'arrears-aging',
  'subscribers',
  'vouchers-by-profile',
  'vouchers-by-reseller',
  'top-unpaid',
] as const;
export type ReportName = (typeof REPORTS)[number];

export interface ReportQuery {
  from?: string;
  to?: string;
  router_id?: string;
  limit?: string;
}

/** Reports of the present state (the period does not apply to them). */
export const SNAPSHOT_REPORTS: readonly ReportName[] = ['arrears-aging', 'top-unpaid'];

/** `attachment; filename="x.csv"` → `x.csv`. */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  const m = disposition ? /filename="([^"]+)"/.exec(disposition) : null;
  return m?.[1] ?? fallback;
}

/** Downloads one report as CSV or XLSX. */
export async function downloadReport(name: ReportName, format: 'csv' | 'xlsx', query: ReportQuery): Promise<void> {
  const { data, error, response } = await api.GET(`/api/reports/${name}` as '/api/reports/revenue', {
    params: { query: { ...query, format } },
    parseAs: 'blob',
  });
  if (!response.ok || !data) throw toApiError(error, response);
  const url = URL.createObjectURL(data as Blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileNameFrom(response.headers.get('content-disposition'), `mikrobill_${name}.${format}`);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const MONTHS = new Intl.DateTimeFormat('id-ID', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "2026-03" → "Mar 2026". */
export function monthLabel(key: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(key);
  return m ? MONTHS.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1))).replace(/[\u00a0\u202f]/g, ' ') : key;
}

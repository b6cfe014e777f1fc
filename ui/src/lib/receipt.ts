// The receipt endpoint needs the bearer token, so it cannot be a plain link: it is fetched as a
// blob through the authenticated client and then shown in a new window or saved.
import { api } from '../api/client';
import { toApiError } from '../api/errors';

/** The paper a receipt is printed on: A4, or a 58 mm thermal receipt printer. */
export type ReceiptPaper = 'a4' | '58mm';

async function receiptBlob(id: string, format: 'pdf' | 'html', paper: ReceiptPaper = 'a4'): Promise<Blob> {
  const { data, error, response } = await api.GET('/api/invoices/{id}/receipt', {
    params: { path: { id }, query: format === 'html' ? { format, paper } : {} },
    parseAs: 'blob',
  });
  if (!response.ok || !data) throw toApiError(error, response);
  return data as Blob;
}

/** Opens the printable HTML receipt (A4 or 58 mm) in a new window and starts printing when it is loaded. */
export async function printReceipt(id: string, paper: ReceiptPaper = 'a4'): Promise<void> {
  // The window is opened synchronously (inside the click) so popup blockers allow it.
  const win = window.open('', '_blank');
  try {
    const blob = await receiptBlob(id, 'html', paper);
    const url = URL.createObjectURL(new Blob([blob], { type: 'text/html' }));
    if (!win) {
      window.location.assign(url);
      return;
    }
    win.location.href = url;
    win.addEventListener('load', () => {
      try {
        win.print();
      } catch {
        // printing not available (e.g. headless): the page stays open
      }
    });
  } catch (err) {
    win?.close();
    throw err;
  }
}

/** Downloads the PDF receipt as `<number>.pdf`. */
export async function downloadReceipt(id: string, number: string): Promise<void> {
  const blob = await receiptBlob(id, 'pdf');
  const url = URL.createObjectURL(new Blob([blob], { type: 'application/pdf' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${number.replace(/[^\w.-]+/g, '-') || 'tagihan'}.pdf`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

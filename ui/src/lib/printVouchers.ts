// Printing a batch of voucher cards. The print endpoint needs the bearer token, so the cards
// are fetched as a blob and opened from a blob URL: HTML in a new window that starts the system
// print dialog once loaded, PDF as a download.
import { fetchPrintable } from '../api/voucherPrint';
import type { PrintTemplate } from '../api/voucherPrint';

const LOAD_DEADLINE_MS = 15_000;

/** Calls print() on the window once its document (the blob URL) has finished loading. */
function printWhenLoaded(win: Window, url: string): void {
  const started = Date.now();
  const attempt = () => {
    let ready = false;
    try {
      ready = win.location.href === url && win.document.readyState === 'complete';
    } catch {
      return; // the window went elsewhere: nothing to print
    }
    if (ready) {
      try {
        win.focus();
        win.print();
      } catch {
        // printing not available (e.g. headless): the page stays open
      }
    } else if (!win.closed && Date.now() - started < LOAD_DEADLINE_MS) {
      setTimeout(attempt, 100);
    }
  };
  attempt();
}

/** Without a new window (popup blocked, desktop webview): print from a hidden frame. */
function printInFrame(url: string): void {
  const frame = document.createElement('iframe');
  frame.style.position = 'fixed';
  frame.style.width = '0';
  frame.style.height = '0';
  frame.style.border = '0';
  frame.setAttribute('aria-hidden', 'true');
  frame.addEventListener('load', () => {
    try {
      frame.contentWindow?.print();
    } catch {
      // printing not available
    }
    setTimeout(() => frame.remove(), 60_000);
  });
  frame.src = url;
  document.body.appendChild(frame);
}

/** Opens a batch's printable cards and starts printing. */
export async function printBatch(batchId: string, template: PrintTemplate, onlyUnused: boolean): Promise<void> {
  // The window is opened synchronously (inside the click) so popup blockers allow it.
  const win = window.open('', '_blank');
  try {
    const blob = await fetchPrintable({ batchId, template, format: 'html', onlyUnused });
    const url = URL.createObjectURL(new Blob([blob], { type: 'text/html' }));
    setTimeout(() => URL.revokeObjectURL(url), 10 * 60_000);
    if (!win) {
      printInFrame(url);
      return;
    }
    win.location.href = url;
    printWhenLoaded(win, url);
  } catch (err) {
    win?.close();
    throw err;
  }
}

/** Downloads a batch's cards as `voucher-B12.pdf`. */
export async function downloadBatchPdf(
  batchId: string,
  label: string,
  template: PrintTemplate,
  onlyUnused: boolean,
): Promise<void> {
  const blob = await fetchPrintable({ batchId, template, format: 'pdf', onlyUnused });
  const url = URL.createObjectURL(new Blob([blob], { type: 'application/pdf' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `voucher-${label.replace(/[^\w.-]+/g, '-')}.pdf`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

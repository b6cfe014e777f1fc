// Voucher printing and the card templates. Printing answers HTML or a PDF (not JSON), so it is
// fetched as a blob with the token; the template shape comes from the generated schema.
import { fetchWithToken } from './client';
import type { components } from './schema';
import { asApiError, toApiError } from './errors';

export const PRINT_TEMPLATES = ['default', 'small', 'thermal58'] as const;
export type PrintTemplate = (typeof PRINT_TEMPLATES)[number];

/** `GET /api/vouchers/templates/{kind}`. */
export type CardTemplate = Omit<components['schemas']['PrintTemplate'], 'kind'> & { kind: PrintTemplate };

export interface PrintRequest {
  batchId: string;
  template: PrintTemplate;
  format: 'html' | 'pdf';
  onlyUnused: boolean;
}

async function send(path: string, init?: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetchWithToken(path, init);
  } catch (err) {
    throw asApiError(err);
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    throw toApiError(body, response);
  }
  return response;
}

/** The printable cards of a batch (staff: any batch; reseller: their own), as HTML or PDF. */
export async function fetchPrintable(req: PrintRequest): Promise<Blob> {
  const query = new URLSearchParams({
    batch_id: req.batchId,
    template: req.template,
    format: req.format,
    only_unused: String(req.onlyUnused),
  });
  const response = await send(`/api/vouchers/print?${query.toString()}`);
  return response.blob();
}

const templatePath = (kind: PrintTemplate) => `/api/vouchers/templates/${encodeURIComponent(kind)}`;

export async function getCardTemplate(kind: PrintTemplate): Promise<CardTemplate> {
  return (await send(templatePath(kind))).json() as Promise<CardTemplate>;
}

/** Saves a custom card template; a bad one is refused with 422 and a message naming the line. */
export async function saveCardTemplate(kind: PrintTemplate, html: string): Promise<void> {
  await send(templatePath(kind), {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ html }),
  });
}

/** Goes back to the built-in card template. */
export async function resetCardTemplate(kind: PrintTemplate): Promise<void> {
  await send(templatePath(kind), { method: 'DELETE' });
}

/**
 * The editor's live preview: two sample cards printed with `html` (nothing saved), as a whole
 * HTML page; a template that would be refused throws the server's reason (422).
 */
export async function previewCardTemplate(kind: PrintTemplate, html: string, signal?: AbortSignal): Promise<string> {
  const response = await send(`${templatePath(kind)}/preview`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ html }),
    signal,
  });
  return response.text();
}

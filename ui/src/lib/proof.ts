// The transfer-proof image needs the bearer token, so it cannot be a plain <img src>: it is
// fetched as a blob through the authenticated client and shown through an object URL.
import { api } from '../api/client';
import { toApiError } from '../api/errors';

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'];

/** Fetches the proof of payment `id`; the caller revokes the returned object URL. */
export async function proofObjectUrl(id: string): Promise<string> {
  const { data, error, response } = await api.GET('/api/payments/{id}/proof', {
    params: { path: { id } },
    parseAs: 'blob',
  });
  if (!response.ok || !data) throw toApiError(error, response);
  const blob = data as Blob;
  const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  // Only image types are shown, whatever the body claims to be.
  return URL.createObjectURL(new Blob([blob], { type: IMAGE_TYPES.includes(type) ? type : 'image/png' }));
}

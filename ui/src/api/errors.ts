// Turns the server's `{"error":{"kind","message","field"?}}` body (or a network failure)
// into one error type the forms can show.
export type ErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'validation'
  | 'conflict'
  | 'not_found'
  | 'internal'
  | 'network'
  | (string & {});

export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly status: number;
  readonly field?: string;

  constructor(kind: ErrorKind, message: string, status: number, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.field = field ?? undefined;
  }
}

function kindFromStatus(status: number): ErrorKind {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 400:
    case 422:
      return 'validation';
    default:
      return 'internal';
  }
}

/** Builds an ApiError from a non-2xx response and its (already parsed) body. */
export function toApiError(body: unknown, response: Response): ApiError {
  const detail =
    body && typeof body === 'object' && 'error' in body
      ? (body as { error?: { kind?: unknown; message?: unknown; field?: unknown } }).error
      : undefined;
  const kind = typeof detail?.kind === 'string' ? detail.kind : kindFromStatus(response.status);
  const message = typeof detail?.message === 'string' ? detail.message : '';
  const field = typeof detail?.field === 'string' ? detail.field : undefined;
  return new ApiError(kind, message, response.status, field);
}

/** Anything thrown by fetch itself (server down, offline) becomes kind `network`. */
export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('network', '', 0);
}

/**
 * Unwraps an openapi-fetch result: returns data on success, throws ApiError otherwise.
 * `call` is awaited inside so network failures are converted too.
 */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (err) {
    throw asApiError(err);
  }
  if (!result.response.ok) throw toApiError(result.error, result.response);
  return result.data as T;
}

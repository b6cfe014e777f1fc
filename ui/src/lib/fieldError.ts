// Server field errors (`{"error":{"field":…}}`) shown under the matching input.
import type { ApiError } from '../api/errors';

/**
 * The message for `field` when the last request failed on it: a translated text from
 * `known` when there is one for the field, otherwise the server's sentence.
 */
export function fieldError(
  error: ApiError | null,
  field: string,
  known: Partial<Record<string, string>> = {},
  fallback = '',
): string | undefined {
  if (!error || error.field !== field) return undefined;
  return known[field] ?? (error.message || fallback);
}

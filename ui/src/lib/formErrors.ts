// Server errors on @mantine/form forms. The server answers `{"error":{"kind","message","field"}}`
// (api/errors.ts); when it names a field the form has, the message goes under that input
// (`form.setFieldError`), and <FormError> above the buttons shows only the summary. Otherwise
// <FormError> shows the whole message.
import type { UseFormReturnType } from '@mantine/form';
import { useState } from 'react';
import { ApiError, asApiError } from '../api/errors';

/** The part of a `useForm` result this needs (any form, whatever its values). */
export interface FormLike {
  getValues: () => unknown;
  setFieldError: (path: string, error: string) => void;
}

export interface ServerErrorOptions {
  /** Translated texts shown instead of the server's sentence, by server field name (or a
   * function of the error, when the text depends on its kind). */
  known?: Partial<Record<string, string>> | ((error: ApiError) => Partial<Record<string, string>>);
  /** Server field name → form path, where they differ. */
  fields?: Partial<Record<string, string>>;
}

function hasPath(values: unknown, path: string): boolean {
  let node: unknown = values;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return true;
}

/**
 * Puts a failed request's field error on the matching input and returns the error for
 * <FormError>: as it came when an input shows the message, without its field otherwise (so the
 * message is shown at the form instead of being lost).
 */
export function applyServerError(form: FormLike, err: unknown, options: ServerErrorOptions = {}): ApiError {
  const error = asApiError(err);
  if (!error.field) return error;
  const path = options.fields?.[error.field] ?? error.field;
  if (!hasPath(form.getValues(), path)) return new ApiError(error.kind, error.message, error.status);
  const known = typeof options.known === 'function' ? options.known(error) : options.known;
  form.setFieldError(path, known?.[error.field] ?? error.message);
  return error;
}

/**
 * The server error of a form: `error` for <FormError>; `onSubmit(work)` for the <form>: it
 * validates (the form's `validate` rules), clears the last server error, runs `work` with the
 * values and, when it fails, puts the error on the fields or at the form.
 */
export function useServerError<V extends Record<string, unknown>>(form: UseFormReturnType<V>, options?: ServerErrorOptions) {
  const [error, setError] = useState<ApiError | null>(null);
  const show = (err: unknown) => setError(applyServerError(form, err, options));
  const clear = () => setError(null);
  const onSubmit = (work: (values: V) => Promise<unknown>) =>
    form.onSubmit(
      async (values) => {
        clear();
        try {
          await work(values);
        } catch (err) {
          show(err);
        }
      },
      clear,
    );
  return { error, show, clear, onSubmit };
}

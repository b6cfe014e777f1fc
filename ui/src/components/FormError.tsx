import { Alert } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/errors';

interface Props {
  error: ApiError | null;
  /** Overrides the generic translated title for some kinds (e.g. login's unauthorized). */
  titles?: Partial<Record<string, string>>;
}

const KNOWN_KINDS = [
  'network',
  'unauthorized',
  'forbidden',
  'validation',
  'conflict',
  'not_found',
  'internal',
  'router',
  'operation_failed',
] as const;

/** The translated summary of a failed request, followed by the server's own message. */
export function errorTitle(
  error: ApiError,
  t: TFunction,
  titles?: Partial<Record<string, string>>,
): string {
  const override = titles?.[error.kind];
  if (override) return override;
  const kind = (KNOWN_KINDS as readonly string[]).includes(error.kind)
    ? (error.kind as (typeof KNOWN_KINDS)[number])
    : 'internal';
  return t(`errors.${kind}`);
}

export function FormError({ error, titles }: Props) {
  const { t } = useTranslation();
  if (!error) return null;
  const title = errorTitle(error, t, titles);
  // Field errors are shown under their input; the alert then only carries the summary.
  // An override title already says it all in the user's language.
  const detail =
    error.kind === 'network' || error.field || titles?.[error.kind] || error.message === title
      ? ''
      : error.message;
  return (
    <Alert color="red" variant="light" role="alert" title={title} data-testid="form-error">
      {detail}
    </Alert>
  );
}

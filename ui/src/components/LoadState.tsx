import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/errors';
import { errorTitle } from './FormError';

/** What LoadState needs of a query (a TanStack Query `useQuery` result fits). */
export interface QueryState<T> {
  data: T | undefined;
  error: ApiError | null;
  refetch: () => unknown;
}

/**
 * Renders children with the data once loaded (kept while it refetches); a loader before, an
 * error with retry when the first load failed.
 */
export function LoadState<T>({ state, children }: { state: QueryState<T>; children: (data: T) => ReactNode }) {
  const { t } = useTranslation();
  if (state.error && state.data === undefined) {
    return (
      <Stack maw={560}>
        <Alert color="red" variant="light" role="alert" title={errorTitle(state.error, t)}>
          {state.error.kind === 'network' ? '' : state.error.message}
        </Alert>
        <Button variant="light" onClick={() => void state.refetch()} w="fit-content">
          {t('common.retry')}
        </Button>
      </Stack>
    );
  }
  if (state.data === undefined) {
    return (
      <Center p="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  return <>{children(state.data)}</>;
}

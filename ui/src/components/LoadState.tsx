import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiState } from '../lib/useApi';
import { errorTitle } from './FormError';

/** Renders children with the data once loaded; a loader before, an error with retry on failure. */
export function LoadState<T>({ state, children }: { state: ApiState<T>; children: (data: T) => ReactNode }) {
  const { t } = useTranslation();
  if (state.error && state.data === undefined) {
    return (
      <Stack maw={560}>
        <Alert color="red" variant="light" role="alert" title={errorTitle(state.error, t)}>
          {state.error.kind === 'network' ? '' : state.error.message}
        </Alert>
        <Button variant="light" onClick={state.reload} w="fit-content">
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

// The one TanStack Query client of the app: what is retried, how long data is kept, and the
// error type of every query and mutation (ApiError, from `unwrap`).
import { QueryClient, keepPreviousData, useQueryClient } from '@tanstack/react-query';
import type { QueryKey } from '@tanstack/react-query';
import { useCallback } from 'react';
import { ApiError } from '../api/errors';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ApiError;
  }
}

/**
 * Only transient failures are worth another try: the server unreachable (`network`) or an
 * internal error. A 4xx (401/403/404/409/422…) or a reported domain failure (a router that
 * did not answer, an operation refused) would only fail the same way again.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  if (!(error instanceof ApiError)) return false;
  if (error.status >= 400 && error.status < 500) return false;
  return error.kind === 'network' || error.kind === 'internal';
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        retryDelay: (attempt) => Math.min(1_000 * 2 ** attempt, 4_000),
        // Data is cached (shown at once when a screen is opened again) but always refetched on
        // mount: other users and background jobs change it, as the screens did before.
        staleTime: 0,
        gcTime: 5 * 60_000,
        // A new filter or page keeps the previous rows on screen until the new ones arrive.
        placeholderData: keepPreviousData,
        // Screens refresh when something changes (mutations, server events); the live ones say
        // so with LIVE below.
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}

export const queryClient = createQueryClient();

/** A screen kept fresh while it is open: every 30 s while the window is visible, and on focus. */
export const LIVE = { refetchInterval: 30_000, refetchOnWindowFocus: true } as const;

/** `invalidate(keys.plans.all, …)`: marks those queries stale and refetches the ones on screen. */
export function useInvalidate(): (...queryKeys: readonly QueryKey[]) => Promise<void> {
  const client = useQueryClient();
  return useCallback(
    (...queryKeys: readonly QueryKey[]) =>
      Promise.all(queryKeys.map((queryKey) => client.invalidateQueries({ queryKey }))).then(() => undefined),
    [client],
  );
}

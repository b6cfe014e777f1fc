// Minimal data loading for screens: runs `load` when deps change, keeps the last data while
// reloading, and turns failures into ApiError.
import { useCallback, useEffect, useState } from 'react';
import type { DependencyList } from 'react';
import { asApiError } from '../api/errors';
import type { ApiError } from '../api/errors';

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
  refetch: () => void;
}

export function useApi<T>(load: () => Promise<T>, deps: DependencyList): ApiState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    load().then(
      (value) => {
        if (cancelled) return;
        setData(value);
        setLoading(false);
      },
      (err: unknown) => {
        if (cancelled) return;
        setError(asApiError(err));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, refetch: reload };
}

export { PAGE_SIZE, pageQuery } from './paging';

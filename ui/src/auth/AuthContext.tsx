// Session state for the whole app: whether the first owner must be created, who is signed in,
// and the actions that change it (create owner, log in, log out).
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api, onSessionExpired, publicApi } from '../api/client';
import { ApiError, unwrap } from '../api/errors';
import type { Me } from '../api/types';
import { clearTokens, loadTokens, saveTokens } from './tokens';

export type BootState =
  | { phase: 'loading' }
  | { phase: 'error'; error: ApiError }
  | { phase: 'ready' };

export interface AuthState {
  boot: BootState;
  needsOwner: boolean;
  user: Me | null;
  /** True after the server ended the session (refresh failed), until the next login. */
  expired: boolean;
  retryBoot: () => void;
  createOwner: (username: string, password: string) => Promise<void>;
  login: (username: string, password: string, totp?: string) => Promise<void>;
  logout: () => Promise<void>;
  markOwnerExists: () => void;
}

const AuthContext = createContext<AuthState | null>(null);

async function fetchMe(): Promise<Me> {
  return unwrap(api.GET('/api/auth/me'));
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [boot, setBoot] = useState<BootState>({ phase: 'loading' });
  const [needsOwner, setNeedsOwner] = useState(false);
  const [user, setUser] = useState<Me | null>(null);
  const [expired, setExpired] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // Cached server data belongs to the account that loaded it: dropped whenever that changes.
  const queryClient = useQueryClient();

  useEffect(() => {
    let cancelled = false;
    setBoot({ phase: 'loading' });
    (async () => {
      try {
        const status = await unwrap(publicApi.GET('/api/setup/status'));
        let me: Me | null = null;
        if (!status.needs_owner && loadTokens()) {
          me = await fetchMe().catch(() => null);
        }
        if (cancelled) return;
        setNeedsOwner(status.needs_owner);
        setUser(me);
        setBoot({ phase: 'ready' });
      } catch (err) {
        if (!cancelled) setBoot({ phase: 'error', error: err as ApiError });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  useEffect(
    () =>
      onSessionExpired(() => {
        setExpired(true);
        setUser(null);
        queryClient.removeQueries();
      }),
    [queryClient],
  );

  const signIn = useCallback(async (tokens: Parameters<typeof saveTokens>[0]) => {
    saveTokens(tokens);
    const me = await fetchMe();
    queryClient.removeQueries();
    setExpired(false);
    setUser(me);
  }, [queryClient]);

  const createOwner = useCallback(
    async (username: string, password: string) => {
      const tokens = await unwrap(
        publicApi.POST('/api/setup/owner', { body: { username, password } }),
      );
      setNeedsOwner(false);
      await signIn(tokens);
    },
    [signIn],
  );

  const login = useCallback(
    async (username: string, password: string, totp?: string) => {
      const tokens = await unwrap(
        publicApi.POST('/api/auth/login', { body: { username, password, totp } }),
      );
      await signIn(tokens);
    },
    [signIn],
  );

  const logout = useCallback(async () => {
    const tokens = loadTokens();
    if (tokens) {
      // Best effort: the local session ends even when the server cannot be reached.
      // The bearer header is not required by the contract, but harmless if the route checks it.
      await publicApi
        .POST('/api/auth/logout', {
          body: { refresh_token: tokens.refresh },
          headers: { Authorization: `Bearer ${tokens.access}` },
        })
        .catch(() => undefined);
    }
    clearTokens();
    queryClient.removeQueries();
    setExpired(false);
    setUser(null);
  }, [queryClient]);

  const value = useMemo<AuthState>(
    () => ({
      boot,
      needsOwner,
      user,
      expired,
      retryBoot: () => setAttempt((n) => n + 1),
      createOwner,
      login,
      logout,
      markOwnerExists: () => setNeedsOwner(false),
    }),
    [boot, needsOwner, user, expired, createOwner, login, logout],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth must be used inside <AuthProvider>');
  return ctx;
}

/** A reseller sees only their own pages (every staff endpoint answers 403 to them). */
export function isReseller(user: Me | null): boolean {
  return user?.role === 'reseller';
}

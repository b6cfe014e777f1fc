// Typed API client over the generated `paths`. Same-origin relative URLs (/api/...), because the
// dashboard is served by the admin listener and loaded by the Tauri webview from the same URL.
import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { clearTokens, loadTokens, saveTokens } from '../auth/tokens';

const baseUrl = '';

/** Client for endpoints that need no token (setup, login, refresh, logout). */
export const publicApi = createClient<paths>({ baseUrl });

type Listener = () => void;
const expiredListeners = new Set<Listener>();

/** Called when the session cannot be renewed (refresh failed): the app goes to the login screen. */
export function onSessionExpired(listener: Listener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

let refreshing: Promise<boolean> | null = null;

/** Rotates the token pair once; concurrent callers share the same attempt. */
export function refreshTokens(): Promise<boolean> {
  if (!refreshing) {
    refreshing = (async () => {
      const tokens = loadTokens();
      if (!tokens) return false;
      try {
        const { data, response } = await publicApi.POST('/api/auth/refresh', {
          body: { refresh_token: tokens.refresh },
        });
        if (!response.ok || !data) return false;
        saveTokens(data);
        return true;
      } catch {
        return false;
      }
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

function withBearer(request: Request): Request {
  const tokens = loadTokens();
  if (!tokens) return request;
  const headers = new Headers(request.headers);
  headers.set('Authorization', `Bearer ${tokens.access}`);
  return new Request(request, { headers });
}

/** fetch with `Authorization: Bearer`; on 401 refreshes once and retries, else ends the session. */
async function authFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const response = await fetch(withBearer(request));
  if (response.status !== 401) return response;
  if (await refreshTokens()) {
    const second = await fetch(withBearer(retry));
    if (second.status !== 401) return second;
  }
  clearTokens();
  expiredListeners.forEach((listener) => listener());
  return response;
}

/** Client for endpoints behind the bearer token. */
export const api = createClient<paths>({ baseUrl, fetch: authFetch });

/**
 * A plain request with the bearer token (and the same refresh-once rule), for answers that are
 * not JSON (printable HTML, PDF) or endpoints not yet in the generated schema.
 */
export function fetchWithToken(path: string, init?: RequestInit): Promise<Response> {
  return authFetch(new Request(new URL(path, window.location.origin), init));
}

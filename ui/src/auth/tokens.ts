// Access + refresh token storage. localStorage so a session survives a restart of the
// desktop webview; the refresh token rotates on every refresh.
import type { TokenResponse } from '../api/types';

const ACCESS = 'mikrobill.access_token';
const REFRESH = 'mikrobill.refresh_token';
const EXPIRES = 'mikrobill.access_expires_at';

export interface StoredTokens {
  access: string;
  refresh: string;
  expiresAt: number;
}

export function loadTokens(): StoredTokens | null {
  const access = localStorage.getItem(ACCESS);
  const refresh = localStorage.getItem(REFRESH);
  if (!access || !refresh) return null;
  return { access, refresh, expiresAt: Number(localStorage.getItem(EXPIRES) ?? 0) };
}

export function saveTokens(t: TokenResponse): void {
  localStorage.setItem(ACCESS, t.access_token);
  localStorage.setItem(REFRESH, t.refresh_token);
  localStorage.setItem(EXPIRES, String(Date.now() + Number(t.expires_in) * 1000));
}

export function clearTokens(): void {
  localStorage.removeItem(ACCESS);
  localStorage.removeItem(REFRESH);
  localStorage.removeItem(EXPIRES);
}

// What each WhatsApp provider needs: the usual API address, its options (kept in the session's
// `settings`) and what the write-only `token` and `secret` are called there (OS keyring).
export const PROVIDERS = ['meta_cloud', 'fonnte', 'wablas', 'waha', 'gowa'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Label keys under `whatsapp.sessions.f`. */
export type FieldLabel =
  | 'meta_token'
  | 'meta_secret'
  | 'phone_number_id'
  | 'api_version'
  | 'fonnte_token'
  | 'wablas_token'
  | 'wablas_secret'
  | 'waha_token'
  | 'waha_session'
  | 'gowa_device'
  | 'gowa_user'
  | 'gowa_password'
  | 'gowa_secret';

export interface SettingField {
  /** The key in `settings`. */
  key: string;
  label: FieldLabel;
  /** Filled in for a new session. */
  initial?: string;
  required?: boolean;
}

export interface ProviderSpec {
  baseUrl: string;
  settings: SettingField[];
  token?: FieldLabel;
  secret?: FieldLabel;
  /** Self-hosted gateways log in by scanning a QR code. */
  scan: boolean;
}

export const PROVIDER_SPECS: Record<Provider, ProviderSpec> = {
  meta_cloud: {
    baseUrl: 'https://graph.facebook.com',
    settings: [
      { key: 'phone_number_id', label: 'phone_number_id', required: true },
      { key: 'api_version', label: 'api_version', initial: 'v21.0', required: true },
    ],
    token: 'meta_token',
    secret: 'meta_secret',
    scan: false,
  },
  fonnte: { baseUrl: 'https://api.fonnte.com', settings: [], token: 'fonnte_token', scan: false },
  wablas: { baseUrl: '', settings: [], token: 'wablas_token', secret: 'wablas_secret', scan: false },
  waha: {
    baseUrl: '',
    settings: [{ key: 'session', label: 'waha_session', initial: 'default', required: true }],
    token: 'waha_token',
    scan: true,
  },
  gowa: {
    baseUrl: '',
    settings: [
      { key: 'device_id', label: 'gowa_device', required: true },
      { key: 'basic_user', label: 'gowa_user' },
    ],
    token: 'gowa_password',
    secret: 'gowa_secret',
    scan: true,
  },
};

export function isProvider(value: string): value is Provider {
  return (PROVIDERS as readonly string[]).includes(value);
}

/** The settings' string values for the form (unknown keys are kept as they are on save). */
export function settingValues(settings: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (settings && typeof settings === 'object') {
    for (const [k, v] of Object.entries(settings as Record<string, unknown>)) {
      if (typeof v === 'string') out[k] = v;
    }
  }
  return out;
}

/** Only the provider's own options, trimmed; empty ones are left out. */
export function settingsFor(provider: Provider, values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of PROVIDER_SPECS[provider].settings) {
    const value = values[field.key]?.trim();
    if (value) out[field.key] = value;
  }
  return out;
}

// What each payment gateway calls its credentials, and which of them it needs. The server stores
// `api_key` and `secondary_key` in the OS keyring (write-only) and requires a merchant code only
// for Duitku and Tripay (billing-app online/settings.rs).

export type KeyLabel =
  | 'gateways.api_key'
  | 'gateways.server_key'
  | 'gateways.secret_key'
  | 'gateways.private_key'
  | 'gateways.callback_token';

export interface GatewayFields {
  /** Whether the gateway has a merchant code (then it is required to enable it). */
  merchantCode: boolean;
  /** Label of the main secret (`api_key`). */
  apiKey: KeyLabel;
  /** Label of the second secret (`secondary_key`), when the gateway has one; it is then required. */
  secondaryKey: KeyLabel | null;
}

const FIELDS: Record<string, GatewayFields> = {
  duitku: { merchantCode: true, apiKey: 'gateways.api_key', secondaryKey: null },
  tripay: { merchantCode: true, apiKey: 'gateways.api_key', secondaryKey: 'gateways.private_key' },
  midtrans: { merchantCode: false, apiKey: 'gateways.server_key', secondaryKey: null },
  xendit: { merchantCode: false, apiKey: 'gateways.secret_key', secondaryKey: 'gateways.callback_token' },
};

/** The fields of `code`; an unknown gateway gets a merchant code and an API key. */
export function gatewayFields(code: string): GatewayFields {
  return FIELDS[code] ?? { merchantCode: true, apiKey: 'gateways.api_key', secondaryKey: null };
}

/** `<public address>/api/payments/webhook/<code>`, or null while no public address is set. */
export function webhookUrl(publicBase: string | null | undefined, code: string): string | null {
  const base = (publicBase ?? '').trim().replace(/\/+$/, '');
  return base ? `${base}/api/payments/webhook/${encodeURIComponent(code)}` : null;
}

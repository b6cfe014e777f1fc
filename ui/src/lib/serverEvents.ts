// Live updates from the admin listener (`GET /api/events`, server-sent events).
//
// A browser's EventSource cannot send the Authorization header, and the access token must not
// go into a URL. So one shared connection asks `POST /api/events/ticket` (with the token, through
// the normal client) for a single-use ticket valid for 30 seconds and opens
// `/api/events?ticket=…`. When the connection drops it is reopened with a new ticket (backing
// off up to 30 s). Each event is only sent to accounts whose role may see it.
import { useEffect, useRef } from 'react';
import { api } from '../api/client';

/** Event names on the stream (the JSON data carries the same `type`, except `metrics`). */
export type ServerEventType =
  | 'payment_settled'
  | 'payment_changed'
  | 'subscription_changed'
  | 'whats_app_session_failed'
  | 'voucher_activated'
  | 'voucher_expired'
  | 'voucher_removed'
  | 'pppoe_connected'
  | 'pppoe_disconnected'
  | 'active_users'
  | 'shop_order_paid'
  | 'shop_order_changed'
  | 'alert_raised'
  | 'alert_cleared'
  | 'metrics';

export const SERVER_EVENT_TYPES: ServerEventType[] = [
  'payment_settled',
  'payment_changed',
  'subscription_changed',
  'whats_app_session_failed',
  'voucher_activated',
  'voucher_expired',
  'voucher_removed',
  'pppoe_connected',
  'pppoe_disconnected',
  'active_users',
  'shop_order_paid',
  'shop_order_changed',
  'alert_raised',
  'alert_cleared',
  'metrics',
];

/** `title`, `message` and `severity` of alert events (for notifications). */
export interface AlertEventData {
  type: 'alert_raised' | 'alert_cleared';
  alert_id: string;
  metric: string;
  subject: string;
  title: string;
  message: string;
  severity: 'info' | 'warning' | 'critical';
}

export type ServerEventHandler = (type: ServerEventType, data: unknown) => void;

interface Subscription {
  types: ReadonlySet<ServerEventType>;
  handler: { current: ServerEventHandler };
}

const subscribers = new Set<Subscription>();
let source: EventSource | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let retryDelay = 2_000;
let connecting = false;

function dispatch(type: ServerEventType, raw: string) {
  let data: unknown = null;
  try {
    data = JSON.parse(raw);
  } catch {
    return;
  }
  for (const s of subscribers) {
    if (s.types.has(type)) s.handler.current(type, data);
  }
}

async function connect() {
  if (source || connecting || subscribers.size === 0 || typeof EventSource === 'undefined') return;
  connecting = true;
  try {
    const { data, response } = await api.POST('/api/events/ticket');
    if (!response.ok || !data) throw new Error(`ticket: ${response.status}`);
    if (subscribers.size === 0) return;
    const es = new EventSource(`/api/events?ticket=${encodeURIComponent(data.ticket)}`);
    source = es;
    es.addEventListener('ready', () => {
      retryDelay = 2_000;
    });
    for (const type of SERVER_EVENT_TYPES) {
      es.addEventListener(type, (e) => dispatch(type, (e as MessageEvent<string>).data));
    }
    es.onerror = () => {
      // The ticket is single-use: never let EventSource retry with it; reopen with a new one.
      es.close();
      if (source === es) source = null;
      scheduleRetry();
    };
  } catch {
    scheduleRetry();
  } finally {
    connecting = false;
  }
}

function scheduleRetry() {
  if (retryTimer || subscribers.size === 0) return;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    void connect();
  }, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 30_000);
}

function disconnectIfIdle() {
  if (subscribers.size > 0) return;
  source?.close();
  source = null;
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
}

/**
 * Calls `callback(type, data)` for every live event of the given types while the component is
 * mounted. All components share one connection. Use it to reload a list when something changed:
 * `useServerEvents(['payment_settled'], () => list.reload())`.
 */
export function useServerEvents(types: readonly ServerEventType[], callback: ServerEventHandler): void {
  const handler = useRef(callback);
  handler.current = callback;
  const key = [...types].sort().join(',');
  useEffect(() => {
    const sub: Subscription = { types: new Set(key.split(',') as ServerEventType[]), handler };
    subscribers.add(sub);
    void connect();
    return () => {
      subscribers.delete(sub);
      disconnectIfIdle();
    };
  }, [key]);
}

// The one place that says which cached queries a server event makes stale. `LiveQueries` (in
// liveQueries.tsx) listens to the event stream and invalidates these keys; TanStack Query then
// refetches what is on screen and marks the rest stale for its next mount.
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { ServerEventType } from './serverEvents';
import { keys } from './queryKeys';

export const EVENT_QUERY_KEYS: Record<ServerEventType, readonly QueryKey[]> = {
  // Paid elsewhere (a gateway callback, another cashier, the daily job): the invoice, the
  // payment lists, the subscription (restored) and the home figures.
  payment_settled: [keys.dashboard.all, keys.invoices.all, keys.payments.all, keys.subscriptions.all],
  payment_changed: [keys.dashboard.all, keys.invoices.all, keys.payments.all],
  // Isolated or restored (the daily job, a payment).
  subscription_changed: [keys.dashboard.all, keys.subscriptions.all],
  whats_app_session_failed: [keys.dashboard.all, keys.monitoring.health()],
  // The voucher monitor (every 30 s): the voucher lists and the home figures.
  voucher_activated: [keys.dashboard.all, keys.vouchers.all],
  voucher_expired: [keys.dashboard.all, keys.vouchers.all],
  voucher_removed: [keys.dashboard.all, keys.vouchers.all],
  // The router monitor (each minute): who is online on the PPPoE page, the home figures.
  pppoe_connected: [keys.dashboard.all, keys.pppoe.all],
  pppoe_disconnected: [keys.dashboard.all, keys.pppoe.all],
  // Online counts per router: the router page's live sessions and charts (not the reconcile
  // view, which reads the router itself).
  active_users: [
    ['routers', 'sessions'],
    ['routers', 'samples'],
  ],
  // The online shop: an order was paid (a sale: home figures and reports count it then), or its
  // voucher was made or is still waiting for the router (the orders list, the voucher lists).
  shop_order_paid: [keys.dashboard.all, keys.shop.ordersAll(), keys.reports.all],
  shop_order_changed: [keys.shop.ordersAll(), keys.vouchers.all],
  alert_raised: [keys.dashboard.all, keys.monitoring.health(), keys.monitoring.alertsAll()],
  alert_cleared: [keys.dashboard.all, keys.monitoring.health(), keys.monitoring.alertsAll()],
  // The metrics snapshot carries its own figures (the alerts badge reads it); nothing to refetch.
  metrics: [],
};

/** The event types that invalidate something. */
export const LIVE_EVENT_TYPES = (Object.keys(EVENT_QUERY_KEYS) as ServerEventType[]).filter(
  (type) => EVENT_QUERY_KEYS[type].length > 0,
);

export function invalidateForEvent(client: QueryClient, type: ServerEventType): Promise<void> {
  return Promise.all(EVENT_QUERY_KEYS[type].map((queryKey) => client.invalidateQueries({ queryKey }))).then(() => undefined);
}

import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { EVENT_QUERY_KEYS, LIVE_EVENT_TYPES, invalidateForEvent } from './eventKeys';
import { keys } from './queryKeys';
import { SERVER_EVENT_TYPES } from './serverEvents';

describe('server events → query keys', () => {
  it('covers every event type on the stream', () => {
    expect(Object.keys(EVENT_QUERY_KEYS).sort()).toEqual([...SERVER_EVENT_TYPES].sort());
    expect(LIVE_EVENT_TYPES).not.toContain('metrics');
  });

  it('a settled payment makes invoice, payment, subscription and home queries stale, not others', async () => {
    const client = new QueryClient();
    const seed = [
      keys.invoices.list({ status: 'open' }),
      keys.invoices.detail('i1'),
      keys.payments.list({}),
      keys.subscriptions.list({ page: 1 }),
      keys.dashboard.home(),
      keys.plans.list(),
      keys.routers.list(),
    ];
    for (const key of seed) client.setQueryData(key, { items: [] });
    await invalidateForEvent(client, 'payment_settled');
    const stale = (key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated;
    expect(stale(keys.invoices.list({ status: 'open' }))).toBe(true);
    expect(stale(keys.invoices.detail('i1'))).toBe(true);
    expect(stale(keys.payments.list({}))).toBe(true);
    expect(stale(keys.subscriptions.list({ page: 1 }))).toBe(true);
    expect(stale(keys.dashboard.home())).toBe(true);
    expect(stale(keys.plans.list())).toBe(false);
    expect(stale(keys.routers.list())).toBe(false);
  });

  it('the monitors refresh the voucher and PPPoE pages, and online counts only the live router views', async () => {
    const client = new QueryClient();
    const seed = [
      keys.vouchers.list('codes', { page: 1 }),
      keys.pppoe.users(null),
      keys.routers.sessions('r1'),
      keys.routers.samples('r1', 24),
      keys.routers.reconcile('r1'),
      keys.invoices.list({}),
    ];
    for (const key of seed) client.setQueryData(key, { items: [] });
    const stale = (key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated;
    await invalidateForEvent(client, 'voucher_activated');
    expect(stale(keys.vouchers.list('codes', { page: 1 }))).toBe(true);
    expect(stale(keys.pppoe.users(null))).toBe(false);
    await invalidateForEvent(client, 'pppoe_disconnected');
    expect(stale(keys.pppoe.users(null))).toBe(true);
    expect(stale(keys.routers.sessions('r1'))).toBe(false);
    await invalidateForEvent(client, 'active_users');
    expect(stale(keys.routers.sessions('r1'))).toBe(true);
    expect(stale(keys.routers.samples('r1', 24))).toBe(true);
    expect(stale(keys.routers.reconcile('r1'))).toBe(false);
    expect(stale(keys.invoices.list({}))).toBe(false);
  });

  it('an alert refreshes the alert lists whatever their filter', async () => {
    const client = new QueryClient();
    client.setQueryData(keys.monitoring.alerts({ state: 'active', limit: 1000 }), { items: [] });
    client.setQueryData(keys.monitoring.rules(), { items: [] });
    await invalidateForEvent(client, 'alert_raised');
    expect(client.getQueryState(keys.monitoring.alerts({ state: 'active', limit: 1000 }))?.isInvalidated).toBe(true);
    expect(client.getQueryState(keys.monitoring.rules())?.isInvalidated).toBe(false);
  });

  it('shop orders refresh on payment and delivery, whatever the filter, but not the shop settings', async () => {
    const client = new QueryClient();
    const seed = [keys.shop.orders({ status: 'all' }), keys.shop.orders({ status: 'undelivered' }), keys.shop.settings(), keys.dashboard.home()];
    for (const key of seed) client.setQueryData(key, { items: [] });
    const stale = (key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated;
    await invalidateForEvent(client, 'shop_order_changed');
    expect(stale(keys.shop.orders({ status: 'all' }))).toBe(true);
    expect(stale(keys.shop.orders({ status: 'undelivered' }))).toBe(true);
    expect(stale(keys.shop.settings())).toBe(false);
    expect(stale(keys.dashboard.home())).toBe(false);
    await invalidateForEvent(client, 'shop_order_paid');
    expect(stale(keys.dashboard.home())).toBe(true);
    expect(stale(keys.shop.settings())).toBe(false);
  });
});

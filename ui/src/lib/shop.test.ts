import { describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import id from '../i18n/id.json';
import { CLOSED_REASONS, ORDER_FILTERS, closedReasonColor, closedReasonKey, isOrderFilter, localPhone, orderDelivery } from './shop';

describe('online shop', () => {
  it('names every closed reason, and a new one as "other"', () => {
    expect(closedReasonKey(null)).toBeNull();
    expect(closedReasonKey(undefined)).toBeNull();
    expect(closedReasonKey('')).toBeNull();
    for (const reason of CLOSED_REASONS) expect(closedReasonKey(reason)).toBe(reason);
    expect(closedReasonKey('maintenance')).toBe('other');
    expect(closedReasonColor('no_gateway')).toBe('yellow');
    expect(closedReasonColor('no_router')).toBe('orange');
  });

  it('has a text for every closed reason and filter in both languages', () => {
    for (const lang of [id, en]) {
      const closed = lang.vouchers.shop.closed as Record<string, string>;
      for (const reason of [...CLOSED_REASONS, 'other']) expect(closed[reason]).toBeTruthy();
      const filters = lang.vouchers.shop.filter as Record<string, string>;
      for (const f of ORDER_FILTERS) expect(filters[f]).toBeTruthy();
    }
    // The owner is told where to switch the gateway on, in plain words.
    expect(id.vouchers.shop.closed.no_gateway).toContain('Pengaturan → Pembayaran online');
  });

  it('knows the filters', () => {
    expect(isOrderFilter('undelivered')).toBe(true);
    expect(isOrderFilter('delivered')).toBe(false);
    expect(isOrderFilter(null)).toBe(false);
  });

  it('says where an order voucher is', () => {
    expect(orderDelivery({ status: 'open' })).toBe('not_paid');
    expect(orderDelivery({ status: 'paid', voucher_code: null, delivered_at: null })).toBe('waiting');
    expect(orderDelivery({ status: 'paid', voucher_code: 'AB12CD', delivered_at: '2026-12-07T10:00:00Z' })).toBe('delivered');
  });

  it('writes a WhatsApp number the local way', () => {
    expect(localPhone('6281234567890')).toBe('081234567890');
    expect(localPhone(null)).toBe('');
    expect(localPhone('081234')).toBe('081234');
  });
});

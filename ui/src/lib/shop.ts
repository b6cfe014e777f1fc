// The online voucher shop (`/shop` on the public address): what keeps it closed, the order
// filters, and where an order's voucher is. Texts live in src/i18n under `vouchers.shop`.

/** Why the shop does not sell online right now (GET /api/shop/settings `closed_reason`). */
export const CLOSED_REASONS = ['disabled', 'no_router', 'nothing_for_sale', 'no_gateway'] as const;
export type ClosedReason = (typeof CLOSED_REASONS)[number];

/**
 * The `vouchers.shop.closed.*` text for a closed reason: null when the shop sells, `other` for
 * a reason this dashboard does not know yet (a newer server).
 */
export function closedReasonKey(reason: string | null | undefined): ClosedReason | 'other' | null {
  if (!reason) return null;
  return (CLOSED_REASONS as readonly string[]).includes(reason) ? (reason as ClosedReason) : 'other';
}

/**
 * How serious a closed reason is: without a gateway the page still shows the price list and
 * how to buy at the counter (a note), otherwise nobody can buy online (a warning).
 */
export function closedReasonColor(reason: ClosedReason | 'other'): 'yellow' | 'orange' {
  return reason === 'no_gateway' ? 'yellow' : 'orange';
}

/** The orders list's filters (`status` of GET /api/shop/orders), in the order shown. */
export const ORDER_FILTERS = ['all', 'open', 'paid', 'undelivered', 'review'] as const;
export type OrderFilter = (typeof ORDER_FILTERS)[number];

export function isOrderFilter(value: string | null | undefined): value is OrderFilter {
  return !!value && (ORDER_FILTERS as readonly string[]).includes(value);
}

/** The part of an order that says where its voucher is. */
export interface OrderDeliveryFields {
  status: string;
  voucher_code?: string | null;
  delivered_at?: string | null;
}

/**
 * `not_paid` (no voucher is due yet), `delivered` (the voucher exists: its code) or `waiting`
 * (paid, the router has not made the voucher yet: "Kirim sekarang").
 */
export function orderDelivery(order: OrderDeliveryFields): 'not_paid' | 'delivered' | 'waiting' {
  if (order.status !== 'paid') return 'not_paid';
  return order.delivered_at || order.voucher_code ? 'delivered' : 'waiting';
}

/** A WhatsApp number as the server keeps it (62…) the way people write it here (08…). */
export function localPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const digits = phone.replace(/\D/g, '');
  return digits.startsWith('62') ? `0${digits.slice(2)}` : phone;
}

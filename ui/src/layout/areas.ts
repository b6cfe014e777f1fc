// Every area of the dashboard, in navigation order. Areas without a screen yet render an honest
// "not yet available" page (see App.tsx).
export const AREAS = [
  { key: 'dashboard', path: '/' },
  { key: 'customers', path: '/customers' },
  { key: 'subscriptions', path: '/subscriptions' },
  { key: 'plans', path: '/plans' },
  { key: 'invoices', path: '/invoices' },
  { key: 'payments', path: '/payments' },
  { key: 'vouchers', path: '/vouchers' },
  { key: 'pppoe', path: '/pppoe' },
  { key: 'routers', path: '/routers' },
  { key: 'whatsapp', path: '/whatsapp' },
  { key: 'monitoring', path: '/monitoring' },
  { key: 'backups', path: '/backups' },
  { key: 'settings', path: '/settings' },
  { key: 'users', path: '/users' },
] as const;

export type AreaKey = (typeof AREAS)[number]['key'];

/** Areas with sections of their own: shown as sub-links under the area in the navigation. */
export const VOUCHER_SECTIONS = [
  { key: 'profiles', path: '/vouchers/profiles' },
  { key: 'batches', path: '/vouchers/batches' },
  { key: 'list', path: '/vouchers/list' },
  { key: 'sales', path: '/vouchers/sales' },
  { key: 'resellers', path: '/vouchers/resellers' },
  { key: 'templates', path: '/vouchers/templates' },
] as const;

export type VoucherSectionKey = (typeof VOUCHER_SECTIONS)[number]['key'];

export const AREA_SECTIONS: Partial<Record<AreaKey, readonly { key: string; path: string }[]>> = {
  vouchers: VOUCHER_SECTIONS,
};

/**
 * Everything a reseller may see: their deposit and stock, their vouchers and their sales. Staff
 * areas are not shown to them (their API answers 403 to a reseller anyway).
 */
export const RESELLER_AREAS = [
  { key: 'home', path: '/' },
  { key: 'vouchers', path: '/reseller/vouchers' },
  { key: 'sales', path: '/reseller/sales' },
] as const;

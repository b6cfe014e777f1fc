// Every area of the dashboard, in navigation order. Areas without a screen yet render an honest
// "not yet available" page (see App.tsx).
export const AREAS = [
  { key: 'dashboard', path: '/' },
  { key: 'customers', path: '/customers' },
  { key: 'subscriptions', path: '/subscriptions' },
  { key: 'plans', path: '/plans' },
  { key: 'invoices', path: '/invoices' },
  { key: 'payments', path: '/payments' },
  { key: 'reports', path: '/reports' },
  { key: 'vouchers', path: '/vouchers' },
  { key: 'pppoe', path: '/pppoe' },
  { key: 'routers', path: '/routers' },
  { key: 'whatsapp', path: '/whatsapp' },
  { key: 'monitoring', path: '/monitoring' },
  { key: 'backups', path: '/backups' },
  { key: 'imports', path: '/imports' },
  { key: 'settings', path: '/settings' },
  { key: 'users', path: '/users' },
  { key: 'audit', path: '/audit' },
  { key: 'security', path: '/security' },
] as const;

export type AreaKey = (typeof AREAS)[number]['key'];

/**
 * The navigation in groups, each under a short heading, so the whole menu fits a 768 px (and a
 * 720 px) high laptop screen without scrolling (tests/e2e/layout.test.mjs holds it to that).
 * Every area of AREAS is in exactly one group (ui test: areas.test.ts).
 */
export const NAV_GROUPS: readonly { key: string; areas: readonly AreaKey[] }[] = [
  { key: 'home', areas: ['dashboard'] },
  { key: 'billing', areas: ['customers', 'subscriptions', 'plans', 'invoices', 'payments', 'whatsapp'] },
  { key: 'network', areas: ['routers', 'pppoe', 'vouchers'] },
  { key: 'insight', areas: ['reports', 'monitoring'] },
  { key: 'system', areas: ['settings', 'users', 'backups', 'imports', 'audit', 'security'] },
];

/**
 * The permission (from GET /api/auth/me) an area's menu needs. Menus only hide what the role may
 * not use; the server refuses it anyway (403).
 */
export const AREA_PERMISSION: Record<AreaKey, string> = {
  dashboard: 'dashboard_view',
  customers: 'customers_read',
  subscriptions: 'subscriptions_read',
  plans: 'plans_read',
  invoices: 'invoices_read',
  payments: 'payments_read',
  reports: 'reports_read',
  vouchers: 'vouchers_read',
  pppoe: 'pppoe_read',
  routers: 'routers_read',
  whatsapp: 'whatsapp_read',
  monitoring: 'dashboard_view',
  backups: 'backups_manage',
  imports: 'imports_run',
  settings: 'settings_write',
  users: 'users_manage',
  audit: 'audit_read',
  security: 'security_read',
};

export const SECTION_PERMISSION: Record<string, string> = {
  '/vouchers/profiles': 'vouchers_read',
  '/vouchers/batches': 'vouchers_sell',
  '/vouchers/list': 'vouchers_read',
  '/vouchers/sales': 'vouchers_sell',
  '/vouchers/shop': 'vouchers_read',
  '/vouchers/resellers': 'resellers_read',
  '/vouchers/templates': 'voucher_templates_write',
};

/** Whether a signed-in user's role holds `permission`. */
export function can(user: { permissions?: string[] } | null, permission: string): boolean {
  return !!user?.permissions?.includes(permission);
}

/** The voucher area's sections: tabs at the top of every voucher page (VoucherSections). */
export const VOUCHER_SECTIONS = [
  { key: 'profiles', path: '/vouchers/profiles' },
  { key: 'batches', path: '/vouchers/batches' },
  { key: 'list', path: '/vouchers/list' },
  { key: 'sales', path: '/vouchers/sales' },
  { key: 'shop', path: '/vouchers/shop' },
  { key: 'resellers', path: '/vouchers/resellers' },
  { key: 'templates', path: '/vouchers/templates' },
] as const;

export type VoucherSectionKey = (typeof VOUCHER_SECTIONS)[number]['key'];


/**
 * Everything a reseller may see: their deposit and stock, their vouchers and their sales. Staff
 * areas are not shown to them (their API answers 403 to a reseller anyway).
 */
export const RESELLER_AREAS = [
  { key: 'home', path: '/' },
  { key: 'vouchers', path: '/reseller/vouchers' },
  { key: 'sales', path: '/reseller/sales' },
] as const;

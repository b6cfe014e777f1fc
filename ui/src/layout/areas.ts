// Every area of the dashboard, in navigation order. Only the dashboard has content in this
// version; the others render an honest "not yet available" page.
export const AREAS = [
  { key: 'dashboard', path: '/' },
  { key: 'customers', path: '/customers' },
  { key: 'subscriptions', path: '/subscriptions' },
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

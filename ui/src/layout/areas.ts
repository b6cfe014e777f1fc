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

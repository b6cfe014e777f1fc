// Every TanStack Query key of the app. The first element names the resource (what a mutation or
// a server event invalidates: `invalidateQueries({ queryKey: keys.invoices.all })` refreshes every
// invoice list and detail on screen); the rest says which part, with the request's parameters.
type Params = object;

export const keys = {
  dashboard: {
    all: ['dashboard'] as const,
    home: () => ['dashboard', 'home'] as const,
    checklist: () => ['dashboard', 'checklist'] as const,
  },
  monitoring: {
    all: ['monitoring'] as const,
    health: () => ['monitoring', 'health'] as const,
    alerts: (params: Params) => ['monitoring', 'alerts', params] as const,
    alertsAll: () => ['monitoring', 'alerts'] as const,
    rules: () => ['monitoring', 'rules'] as const,
    settings: () => ['monitoring', 'settings'] as const,
  },
  jobs: {
    all: ['jobs'] as const,
    list: () => ['jobs', 'list'] as const,
  },
  customers: {
    all: ['customers'] as const,
    list: (params: Params) => ['customers', 'list', params] as const,
    detail: (id: string) => ['customers', 'detail', id] as const,
    balance: (id: string) => ['customers', 'balance', id] as const,
  },
  subscriptions: {
    all: ['subscriptions'] as const,
    list: (params: Params) => ['subscriptions', 'list', params] as const,
    detail: (id: string) => ['subscriptions', 'detail', id] as const,
    /** What "Terbitkan tagihan berikutnya" would issue (never cached: it changes with payments). */
    renewPreview: (id: string) => ['subscriptions', 'renew-preview', id] as const,
  },
  isolation: {
    all: ['isolation'] as const,
    preview: () => ['isolation', 'preview'] as const,
  },
  plans: {
    all: ['plans'] as const,
    list: () => ['plans', 'list'] as const,
  },
  invoices: {
    all: ['invoices'] as const,
    list: (params: Params) => ['invoices', 'list', params] as const,
    detail: (id: string) => ['invoices', 'detail', id] as const,
    open: () => ['invoices', 'open'] as const,
  },
  payments: {
    all: ['payments'] as const,
    list: (params: Params) => ['payments', 'list', params] as const,
  },
  routers: {
    all: ['routers'] as const,
    list: () => ['routers', 'list'] as const,
    detail: (id: string) => ['routers', 'detail', id] as const,
    /** Every router's status (the list and the detail pages), not what is read live from them. */
    status: () => [['routers', 'list'], ['routers', 'detail']] as const,
    sessions: (id: string) => ['routers', 'sessions', id] as const,
    samples: (id: string, hours: number) => ['routers', 'samples', id, hours] as const,
    commands: (params: Params) => ['routers', 'commands', params] as const,
    commandsAll: () => ['routers', 'commands'] as const,
    reconcile: (id: string) => ['routers', 'reconcile', id] as const,
    audit: (id: string) => ['routers', 'audit', id] as const,
  },
  pppoe: {
    all: ['pppoe'] as const,
    profiles: (routerId: string | null) => ['pppoe', 'profiles', routerId] as const,
    profilesAll: () => ['pppoe', 'profiles'] as const,
    users: (routerId: string | null) => ['pppoe', 'users', routerId] as const,
  },
  vouchers: {
    all: ['vouchers'] as const,
    list: (view: string, params: Params) => ['vouchers', 'list', view, params] as const,
    usage: (id: string) => ['vouchers', 'usage', id] as const,
    batches: () => ['vouchers', 'batches'] as const,
    batch: (id: string) => ['vouchers', 'batch', id] as const,
    sales: (view: string, params: Params) => ['vouchers', 'sales', view, params] as const,
  },
  /** The online voucher shop: its settings and orders. */
  shop: {
    all: ['shop'] as const,
    settings: () => ['shop', 'settings'] as const,
    orders: (params: Params) => ['shop', 'orders', params] as const,
    ordersAll: () => ['shop', 'orders'] as const,
  },
  voucherProfiles: {
    all: ['voucher-profiles'] as const,
    list: () => ['voucher-profiles', 'list'] as const,
  },
  voucherTemplates: {
    all: ['voucher-templates'] as const,
    kind: (kind: string) => ['voucher-templates', kind] as const,
  },
  resellers: {
    all: ['resellers'] as const,
    list: () => ['resellers', 'list'] as const,
    ledger: (id: string) => ['resellers', 'ledger', id] as const,
  },
  /** A reseller's own pages. */
  reseller: {
    all: ['reseller'] as const,
    me: () => ['reseller', 'me'] as const,
    batches: () => ['reseller', 'batches'] as const,
  },
  settings: {
    all: ['settings'] as const,
    business: () => ['settings', 'business'] as const,
    publicUrl: () => ['settings', 'public-url'] as const,
    gateways: () => ['settings', 'gateways'] as const,
  },
  backups: {
    all: ['backups'] as const,
    list: () => ['backups', 'list'] as const,
    settings: () => ['backups', 'settings'] as const,
  },
  imports: {
    all: ['imports'] as const,
    list: () => ['imports', 'list'] as const,
  },
  whatsapp: {
    all: ['whatsapp'] as const,
    status: () => ['whatsapp', 'status'] as const,
    messages: (params: Params) => ['whatsapp', 'messages', params] as const,
    messagesAll: () => ['whatsapp', 'messages'] as const,
    templates: () => ['whatsapp', 'templates'] as const,
    settings: () => ['whatsapp', 'settings'] as const,
  },
  users: {
    all: ['users'] as const,
    list: () => ['users', 'list'] as const,
  },
  audit: {
    all: ['audit'] as const,
    list: (params: Params) => ['audit', params] as const,
    access: (params: Params) => ['audit', 'access', params] as const,
  },
  security: {
    all: ['security'] as const,
    list: (params: Params) => ['security', params] as const,
  },
  reports: {
    all: ['reports'] as const,
    report: (name: string, params: Params) => ['reports', name, params] as const,
  },
  totp: {
    all: ['totp'] as const,
    status: () => ['totp', 'status'] as const,
  },
};

/**
 * What money moving changes (a payment, a billing run, a voided invoice, a balance adjustment,
 * a renewal): invoices, payments, balances, subscription status, the figures and the reports.
 */
export const BILLING_KEYS = [
  keys.invoices.all,
  keys.payments.all,
  keys.customers.all,
  keys.subscriptions.all,
  keys.isolation.all,
  keys.dashboard.all,
  keys.reports.all,
] as const;

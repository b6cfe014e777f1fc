// Named aliases over the generated OpenAPI types (src/api/schema.d.ts, from `npm run gen:api`).
// They are taken from the operations' success responses rather than from component names, so
// they keep working whatever the server's generator calls its schemas.
import type { paths } from './schema';

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;

export type TokenResponse = JsonOf<paths['/api/auth/login']['post']['responses'][200]>;
export type SetupStatus = JsonOf<paths['/api/setup/status']['get']['responses'][200]>;
export type Me = JsonOf<paths['/api/auth/me']['get']['responses'][200]>;
export type Health = JsonOf<paths['/api/monitoring/health']['get']['responses'][200]>;
export type DatabaseHealth = Health['database'];
export type DashboardSummary = JsonOf<paths['/api/dashboard/summary']['get']['responses'][200]>;

// Billing core (docs/api-billing.md).
type Ok<P extends keyof paths, M extends keyof paths[P], C extends number = 200> =
  paths[P][M] extends { responses: infer R } ? (R extends Record<C, infer X> ? JsonOf<X> : never) : never;
type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type CustomerList = Ok<'/api/customers', 'get'>;
export type Customer = CustomerList['items'][number];
export type CustomerDetail = Ok<'/api/customers/{id}', 'get'>;
export type NewCustomer = Body<'/api/customers', 'post'>;
export type BalanceView = Ok<'/api/customers/{id}/balance', 'get'>;
export type LedgerEntry = BalanceView['entries'][number];
export type BalanceEntryRequest = Body<'/api/customers/{id}/balance', 'post'>;
export type PlanList = Ok<'/api/plans', 'get'>;
export type Plan = PlanList['items'][number];
export type NewPlan = Body<'/api/plans', 'post'>;
export type SubscriptionList = Ok<'/api/subscriptions', 'get'>;
export type Subscription = SubscriptionList['items'][number];
export type NewSubscription = Body<'/api/subscriptions', 'post'>;
export type InvoiceList = Ok<'/api/invoices', 'get'>;
export type InvoiceSummary = InvoiceList['items'][number];
export type Invoice = Ok<'/api/invoices/{id}', 'get'>;
export type InvoiceStatus = InvoiceSummary['status'];
export type BillingRunResult = Ok<'/api/billing/run', 'post'>;
export type PaymentList = Ok<'/api/payments', 'get'>;
export type Payment = PaymentList['items'][number];
export type NewPayment = Body<'/api/payments', 'post'>;
export type PaymentResult = Ok<'/api/payments', 'post', 201>;
export type IsolationPreview = Ok<'/api/isolation/preview', 'get'>;
export type IsolationCandidate = IsolationPreview['items'][number];
export type IsolationResult = Ok<'/api/isolation/run', 'post'>;
export type BusinessProfile = Ok<'/api/settings/business', 'get'>;
export type BankAccount = BusinessProfile['bank_accounts'][number];

// Online payments (issue #5).
export type PayLink = Ok<'/api/invoices/{id}/pay', 'get'>;
export type PaymentMethodList = Ok<'/api/payments/methods', 'get'>;
export type CheckResult = Ok<'/api/payments/{id}/check', 'post'>;
export type PollSummary = Ok<'/api/payments/check-pending', 'post'>;
export type GatewaySettingsList = Ok<'/api/settings/gateways', 'get'>;
export type GatewaySettings = GatewaySettingsList['items'][number];
export type GatewaySettingsInput = Body<'/api/settings/gateways/{code}', 'put'>;
export type PublicUrlCheck = Ok<'/api/settings/public-url/check', 'post'>;

// Routers and PPPoE (issue #7, docs/api-routers.md).
export type RouterList = Ok<'/api/routers', 'get'>;
export type Router = RouterList['items'][number];
export type RouterBody = Body<'/api/routers', 'post'>;
export type ConnectionReport = Ok<'/api/routers/{id}/test', 'post'>;
export type RouterTestBody = Body<'/api/routers/test', 'post'>;
export type RouterProbe = NonNullable<ConnectionReport['probe']>;
export type DatabaseCheck = Ok<'/api/setup/database/test', 'post'>;
export type SampleSummary = Ok<'/api/setup/sample-data', 'post', 201>;
export type RemoteSession = Ok<'/api/routers/{id}/sessions', 'get'>['items'][number];
export type OutboxEntry = Ok<'/api/routers/commands', 'get'>['items'][number];
export type AuditEntry = Ok<'/api/routers/audit', 'get'>['items'][number];
export type ReconcileReport = Ok<'/api/reconcile/{router_id}', 'get'>;
export type Drift = ReconcileReport['drifts'][number];
export type DriftKind = Drift['kind'];
export type RepairReport = Ok<'/api/reconcile/{router_id}/repair', 'post'>;
export type RouterProfile = Ok<'/api/pppoe/profiles', 'get'>['items'][number];
export type PppoeUser = Ok<'/api/pppoe/users', 'get'>['items'][number];

// WhatsApp (issue #8). The session list is read from the status answer, whose items are the
// sessions' own schema.
export type WaStatus = Ok<'/api/whatsapp/status', 'get'>;
export type WaSession = WaStatus['sessions'][number];
export type WaSessionInput = Body<'/api/whatsapp/sessions', 'post'>;
export type WaMessage = Ok<'/api/whatsapp/messages', 'get'>['items'][number];
export type WaDrainSummary = Ok<'/api/whatsapp/drain', 'post'>;
export type WaTemplate = Ok<'/api/whatsapp/templates', 'get'>['items'][number];
export type WaSettings = Ok<'/api/whatsapp/settings', 'get'>;
/** `POST /api/whatsapp/sessions/scan`: the document describes this answer only in words. */
export type WaPairing =
  | { kind: 'qr_image'; mimetype: string; base64: string }
  | { kind: 'qr_text'; value: string }
  | { kind: 'code'; code: string }
  | { kind: 'already_paired' };

// Hotspot vouchers and resellers (tags vouchers, resellers, reseller).
export type VoucherProfile = Ok<'/api/voucher-profiles', 'get'>['items'][number];
export type NewVoucherProfile = Body<'/api/voucher-profiles', 'post'>;
export type UpdateVoucherProfile = Body<'/api/voucher-profiles/{id}', 'patch'>;
export type VoucherBatch = Ok<'/api/vouchers/batches/{id}', 'get'>;
export type NewVoucherBatch = Body<'/api/vouchers/batch', 'post'>;
export type VoucherCharset = NonNullable<NewVoucherBatch['charset']>;
export type VoucherPage = Ok<'/api/vouchers', 'get'>;
export type Voucher = VoucherPage['items'][number];
export type VoucherFilter = NonNullable<paths['/api/vouchers']['get']['parameters']['query']>;
export type VoucherUsage = Ok<'/api/vouchers/{id}/usage', 'get'>;
export type MonitorReport = Ok<'/api/vouchers/monitor', 'post'>;
export type SalesReport = Ok<'/api/vouchers/sales', 'get'>;
export type SalesRow = SalesReport['rows'][number];
export type Reseller = Ok<'/api/resellers', 'get'>['items'][number];
export type NewReseller = Body<'/api/resellers', 'post'>;
export type UpdateReseller = Body<'/api/resellers/{id}', 'patch'>;
export type ResellerLedgerEntry = Ok<'/api/resellers/{id}/ledger', 'get'>['items'][number];
// Health and backups (issue #10).
export type HealthStatus = Health['status'];
export type HealthCheck = Health['routers'][number];
export type BackupList = Ok<'/api/backups', 'get'>;
export type Backup = BackupList['items'][number];
export type PendingRestore = NonNullable<BackupList['pending_restore']>;
export type BackupSettings = Ok<'/api/backups/settings', 'get'>;
export type BackupSettingsInput = Body<'/api/backups/settings', 'put'>;
export type RestoreOutcome = Ok<'/api/backups/restore/{id}', 'post'>;
export type ConfirmOutcome = Ok<'/api/backups/restore/{id}/confirm', 'post'>;
export type JobStatus = Ok<'/api/jobs', 'get'>['items'][number];
export type JobRun = Ok<'/api/jobs/{name}/run', 'post'>;

// Users, roles and the logs (issue 9).
export type UserList = Ok<'/api/admin/users', 'get'>;
export type StaffUser = UserList['items'][number];
export type ActivityLog = Ok<'/api/audit', 'get'>;
export type ActivityEntry = ActivityLog['items'][number];
export type AccessEventList = Ok<'/api/audit/access', 'get'>;
export type AccessEvent = AccessEventList['items'][number];
export type SecurityEventList = Ok<'/api/security/events', 'get'>;
export type SecurityEvent = SecurityEventList['items'][number];
export type SessionList = Ok<'/api/auth/sessions', 'get'>;

// Dashboard home and reports (issue #12).
export type DashboardHome = Ok<'/api/dashboard/home', 'get'>;
export type RevenueReport = Ok<'/api/reports/revenue', 'get'>;
export type MethodReport = Ok<'/api/reports/payments-by-method', 'get'>;
export type CashierReport = Ok<'/api/reports/payments-by-cashier', 'get'>;
export type AgingReport = Ok<'/api/reports/arrears-aging', 'get'>;
export type SubscribersReport = Ok<'/api/reports/subscribers', 'get'>;
export type VoucherSalesReport = Ok<'/api/reports/vouchers-by-profile', 'get'>;
export type UnpaidReport = Ok<'/api/reports/top-unpaid', 'get'>;
export type AlertList = Ok<'/api/monitoring/alerts', 'get'>;
export type AlertItem = AlertList['items'][number];
export type AlertRuleList = Ok<'/api/monitoring/alerts/rules', 'get'>;
export type AlertRule = AlertRuleList['items'][number];
export type AlertMetric = AlertRuleList['metrics'][number];
export type MonitoringSettings = Ok<'/api/monitoring/settings', 'get'>;
export type RouterSamplePoint = Ok<'/api/routers/{id}/samples', 'get'>['items'][number];
// Imports (issue #12).
export type ImportRecord = Ok<'/api/imports/{id}', 'get'>;
export type ImportSummary = Ok<'/api/imports', 'get'>['items'][number];

// The setup checklist on the home screen (issue #19).
export type SetupChecklist = Ok<'/api/setup/checklist', 'get'>;
export type SetupChecklistItem = SetupChecklist['items'][number];

// The online voucher shop (issue #20).
export type ShopSettings = Ok<'/api/shop/settings', 'get'>;
export type ShopSettingsInput = Body<'/api/shop/settings', 'put'>;
export type ShopOrderList = Ok<'/api/shop/orders', 'get'>;
export type ShopOrder = ShopOrderList['items'][number];
export type ShopOrderQuery = NonNullable<paths['/api/shop/orders']['get']['parameters']['query']>;
export type ShopDelivery = Ok<'/api/shop/orders/{id}/deliver', 'post'>;
export type ShopDeliveryOutcome = ShopDelivery['outcome'];

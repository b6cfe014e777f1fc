import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { isReseller, useAuth } from './auth/AuthContext';
import { errorTitle } from './components/FormError';
import { AppLayout } from './layout/AppLayout';
import { AREAS } from './layout/areas';
import { DashboardPage } from './pages/DashboardPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PlaceholderPage } from './pages/PlaceholderPage';
import { SetupPage } from './pages/SetupPage';
import { BackupsPage } from './pages/backups/BackupsPage';
import { ImportsPage } from './pages/imports/ImportsPage';
import { CustomerDetailPage } from './pages/customers/CustomerDetailPage';
import { CustomersPage } from './pages/customers/CustomersPage';
import { InvoiceDetailPage } from './pages/invoices/InvoiceDetailPage';
import { InvoicesPage } from './pages/invoices/InvoicesPage';
import { HealthPage } from './pages/monitoring/HealthPage';
import { PaymentsPage } from './pages/payments/PaymentsPage';
import { PlansPage } from './pages/plans/PlansPage';
import { ReportsPage } from './pages/reports/ReportsPage';
import { PppoePage } from './pages/pppoe/PppoePage';
import { RouterDetailPage } from './pages/routers/RouterDetailPage';
import { RoutersPage } from './pages/routers/RoutersPage';
import { VoucherSections } from './pages/vouchers/VoucherSections';
import { SettingsPage } from './pages/settings/SettingsPage';
import { SubscriptionDetailPage } from './pages/subscriptions/SubscriptionDetailPage';
import { SubscriptionNewPage } from './pages/subscriptions/SubscriptionNewPage';
import { SubscriptionsPage } from './pages/subscriptions/SubscriptionsPage';
import { WhatsAppPage } from './pages/whatsapp/WhatsAppPage';
import { AuditPage } from './pages/users/AuditPage';
import { SecurityPage } from './pages/users/SecurityPage';
import { UsersPage } from './pages/users/UsersPage';
import { ResellerHomePage } from './pages/reseller/ResellerHomePage';
import { ResellerSalesPage } from './pages/reseller/ResellerSalesPage';
import { ResellerVouchersPage } from './pages/reseller/ResellerVouchersPage';
import { BatchesPage } from './pages/vouchers/BatchesPage';
import { ProfilesPage } from './pages/vouchers/ProfilesPage';
import { ResellersPage } from './pages/vouchers/ResellersPage';
import { SalesPage } from './pages/vouchers/SalesPage';
import { ShopPage } from './pages/vouchers/ShopPage';
import { TemplatesPage } from './pages/vouchers/TemplatesPage';
import { VouchersPage } from './pages/vouchers/VouchersPage';

/** Areas that have screens; every other area shows the placeholder. */
const BUILT = new Set<string>(['dashboard', 'customers', 'subscriptions', 'plans', 'invoices', 'payments', 'settings', 'routers', 'pppoe', 'whatsapp', 'vouchers', 'monitoring', 'backups', 'imports', 'users', 'audit', 'security', 'reports']);

/** Waits for GET /api/setup/status (and the current user) before any screen is chosen. */
function BootGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { boot, retryBoot } = useAuth();
  if (boot.phase === 'loading') {
    return (
      <Center mih="100vh">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (boot.phase === 'error') {
    return (
      <Center mih="100vh" p="md">
        <Stack maw={480}>
          <Alert color="red" variant="light" title={t('errors.boot_title')}>
            {errorTitle(boot.error, t)}
          </Alert>
          <Button onClick={retryBoot}>{t('common.retry')}</Button>
        </Stack>
      </Center>
    );
  }
  return <>{children}</>;
}

/** The app shell only for a signed-in user; first run goes to /setup, others to /login. */
function RequireAuth({ children }: { children: ReactNode }) {
  const { needsOwner, user } = useAuth();
  const location = useLocation();
  if (needsOwner) return <Navigate to="/setup" replace />;
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <>{children}</>;
}

/** Everything the ISP's staff can open. */
function staffRoutes() {
  return (
    <>
      <Route index element={<DashboardPage />} />
      <Route path="/customers" element={<CustomersPage />} />
      <Route path="/customers/:id" element={<CustomerDetailPage />} />
      <Route path="/subscriptions" element={<SubscriptionsPage />} />
      <Route path="/subscriptions/new" element={<SubscriptionNewPage />} />
      <Route path="/subscriptions/:id" element={<SubscriptionDetailPage />} />
      <Route path="/plans" element={<PlansPage />} />
      <Route path="/invoices" element={<InvoicesPage />} />
      <Route path="/invoices/:id" element={<InvoiceDetailPage />} />
      <Route path="/payments" element={<PaymentsPage />} />
      <Route path="/reports" element={<ReportsPage />} />
      <Route path="/settings" element={<SettingsPage />} />
      <Route path="/routers" element={<RoutersPage />} />
      <Route path="/routers/:id" element={<RouterDetailPage />} />
      <Route path="/pppoe" element={<PppoePage />} />
      <Route path="/whatsapp" element={<WhatsAppPage />} />
      <Route path="/monitoring" element={<HealthPage />} />
      <Route path="/backups" element={<BackupsPage />} />
      <Route path="/imports" element={<ImportsPage />} />
      <Route path="/users" element={<UsersPage />} />
      <Route path="/audit" element={<AuditPage />} />
      <Route path="/security" element={<SecurityPage />} />
      {AREAS.filter((area) => !BUILT.has(area.key)).map((area) => (
        <Route key={area.key} path={area.path} element={<PlaceholderPage area={area.key} />} />
      ))}
      <Route path="/vouchers" element={<VoucherSections />}>
        <Route index element={null} />
        <Route path="profiles" element={<ProfilesPage />} />
        <Route path="batches" element={<BatchesPage />} />
        <Route path="list" element={<VouchersPage />} />
        <Route path="sales" element={<SalesPage />} />
        <Route path="shop" element={<ShopPage />} />
        <Route path="resellers" element={<ResellersPage />} />
        <Route path="templates" element={<TemplatesPage />} />
      </Route>
      <Route path="*" element={<NotFoundPage />} />
    </>
  );
}

/**
 * A reseller's pages only: every staff endpoint answers 403 to them, so staff screens are not
 * routed at all and their addresses lead back home.
 */
function resellerRoutes() {
  return (
    <>
      <Route index element={<ResellerHomePage />} />
      <Route path="/reseller/vouchers" element={<ResellerVouchersPage />} />
      <Route path="/reseller/sales" element={<ResellerSalesPage />} />
      <Route path="*" element={<Navigate to="/" replace />} />
    </>
  );
}

export function App() {
  const { user } = useAuth();
  return (
    <BrowserRouter>
      <BootGate>
        <Routes>
          <Route path="/setup" element={<SetupPage />} />
          <Route path="/login" element={<LoginPage />} />
          <Route
            element={
              <RequireAuth>
                <AppLayout />
              </RequireAuth>
            }
          >
            {isReseller(user) ? resellerRoutes() : staffRoutes()}
          </Route>
        </Routes>
      </BootGate>
    </BrowserRouter>
  );
}

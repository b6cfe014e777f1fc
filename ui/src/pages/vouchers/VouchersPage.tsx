import { Alert, Button, List, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { MonitorReport } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { useApi } from '../../lib/useApi';
import { VoucherList } from './VoucherList';

/** Daftar voucher: every voucher with filters; "Periksa sekarang" runs the usage monitor. */
export function VouchersPage() {
  const { t } = useTranslation();
  const lists = useApi(async () => {
    const [batches, profiles, resellers] = await Promise.all([
      unwrap(api.GET('/api/vouchers/batches')),
      unwrap(api.GET('/api/voucher-profiles')),
      unwrap(api.GET('/api/resellers')),
    ]);
    return { batches: batches.items, profiles: profiles.items, resellers: resellers.items };
  }, []);
  const [checking, setChecking] = useState(false);
  const [report, setReport] = useState<MonitorReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [refresh, setRefresh] = useState(0);

  const check = async () => {
    setChecking(true);
    setError(null);
    try {
      setReport(await unwrap(api.POST('/api/vouchers/monitor')));
    } catch (e) {
      setReport(null);
      setError(asApiError(e));
    } finally {
      setChecking(false);
      setRefresh((n) => n + 1);
    }
  };

  return (
    <Stack gap="md">
      <PageHeader
        title={t('vouchers.list.title')}
        actions={
          <Button variant="default" loading={checking} onClick={() => void check()}>
            {t('vouchers.list.check_now')}
          </Button>
        }
      />
      <Alert variant="light" color="blue">
        {t('vouchers.list.intro')}
      </Alert>
      <FormError error={error} />
      {report && (
        <Alert
          variant="light"
          color={report.errors.length > 0 ? 'orange' : 'green'}
          role="status"
          withCloseButton
          onClose={() => setReport(null)}
          data-testid="monitor-report"
        >
          <Text size="sm">
            {t('vouchers.list.checked', {
              routers: report.routers,
              activated: report.activated,
              expired: report.expired,
              updated: report.updated,
            })}
            {report.leftovers_removed > 0 && ` ${t('vouchers.list.leftovers', { count: report.leftovers_removed })}`}
          </Text>
          {report.errors.length > 0 && (
            <List size="sm" mt={4}>
              {report.errors.map((e) => (
                <List.Item key={e}>{e}</List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
      <LoadState state={lists}>
        {(data) => (
          <VoucherList
            view="staff"
            refresh={refresh}
            batches={data.batches}
            profiles={data.profiles.map((p) => ({ value: p.id, label: p.name }))}
            resellers={data.resellers.map((r) => ({ value: r.id, label: r.name }))}
          />
        )}
      </LoadState>
    </Stack>
  );
}

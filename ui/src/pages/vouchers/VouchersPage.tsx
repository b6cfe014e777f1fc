import { Alert, Button, List, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { resellersQuery, voucherBatchesQuery, voucherProfilesQuery } from '../../api/queries';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { VoucherList } from './VoucherList';

/** Daftar voucher: every voucher with filters; "Periksa sekarang" runs the usage monitor. */
export function VouchersPage() {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const batches = useQuery(voucherBatchesQuery());
  const profiles = useQuery(voucherProfilesQuery());
  const resellers = useQuery(resellersQuery());
  // The three lists the filters need, as one state for LoadState.
  const lists = {
    data:
      batches.data && profiles.data && resellers.data
        ? { batches: batches.data.items, profiles: profiles.data.items, resellers: resellers.data.items }
        : undefined,
    error: batches.error ?? profiles.error ?? resellers.error,
    refetch: () => Promise.all([batches.refetch(), profiles.refetch(), resellers.refetch()]),
  };
  const monitor = useMutation({
    mutationFn: () => unwrap(api.POST('/api/vouchers/monitor')),
    onSettled: () => void invalidate(keys.vouchers.all),
  });
  const report = monitor.data ?? null;

  return (
    <Stack gap="md">
      <PageHeader
        title={t('vouchers.list.title')}
        actions={
          <Button variant="default" loading={monitor.isPending} onClick={() => monitor.mutate()}>
            {t('vouchers.list.check_now')}
          </Button>
        }
      />
      <Alert variant="light" color="blue">
        {t('vouchers.list.intro')}
      </Alert>
      <FormError error={monitor.error} />
      {report && (
        <Alert
          variant="light"
          color={report.errors.length > 0 ? 'orange' : 'green'}
          role="status"
          withCloseButton
          onClose={() => monitor.reset()}
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
            batches={data.batches}
            profiles={data.profiles.map((p) => ({ value: p.id, label: p.name }))}
            resellers={data.resellers.map((r) => ({ value: r.id, label: r.name }))}
          />
        )}
      </LoadState>
    </Stack>
  );
}

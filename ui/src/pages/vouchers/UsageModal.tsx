import { Modal, Progress, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Voucher } from '../../api/types';
import { Field, FieldRow } from '../../components/Field';
import { LoadState } from '../../components/LoadState';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../lib/dates';
import { keys } from '../../lib/queryKeys';
import { batchLabel, formatBytes, formatDuration } from '../../lib/voucherFormat';

interface Figures {
  status: string;
  first_login_at?: string | null;
  expires_at?: string | null;
  last_seen_at?: string | null;
  end_reason?: string | null;
  uptime_secs: number;
  bytes_in: number;
  bytes_out: number;
  uptime_limit_secs?: number | null;
  quota_bytes?: number | null;
  validity_left_secs?: number | null;
}

/** "used of limit" with a bar, or just the used amount without a limit. */
function Meter({ label, used, limit, format, testId }: { label: string; used: number; limit?: number | null; format: (n: number) => string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={500} data-testid={testId}>
        {limit ? t('vouchers.usage.of', { used: format(used), limit: format(limit) }) : `${format(used)} (${t('vouchers.limits.unlimited').toLowerCase()})`}
      </Text>
      {limit ? <Progress value={Math.min(100, (used / limit) * 100)} size="sm" color={used >= limit ? 'red' : 'blue'} /> : null}
    </Stack>
  );
}

function UsageView({ figures }: { figures: Figures }) {
  const { t, i18n } = useTranslation();
  const duration = (n: number) => formatDuration(n, i18n.language);
  return (
    <Stack gap="md">
      <FieldRow>
        <Field label={t('common.status')}>
          <StatusBadge kind="voucher" status={figures.status} />
        </Field>
        <Field label={t('vouchers.usage.first_login')} testId="usage-first-login">
          {figures.first_login_at ? formatDateTime(figures.first_login_at) : t('vouchers.usage.never')}
        </Field>
        <Field label={t('vouchers.usage.expires')}>{formatDateTime(figures.expires_at)}</Field>
        {figures.validity_left_secs !== undefined && figures.validity_left_secs !== null && (
          <Field label={t('vouchers.usage.validity_left')}>{duration(figures.validity_left_secs)}</Field>
        )}
        <Field label={t('vouchers.usage.last_seen')}>{formatDateTime(figures.last_seen_at)}</Field>
      </FieldRow>
      <Meter label={t('vouchers.usage.online_time')} used={figures.uptime_secs} limit={figures.uptime_limit_secs} format={duration} testId="usage-uptime" />
      <Meter
        label={t('vouchers.usage.data')}
        used={figures.bytes_in + figures.bytes_out}
        limit={figures.quota_bytes}
        format={formatBytes}
        testId="usage-data"
      />
      {figures.end_reason && (
        <Text size="sm" c="dimmed">
          {t('vouchers.usage.end_reason', { reason: figures.end_reason })}
        </Text>
      )}
    </Stack>
  );
}

function StaffUsage({ voucher }: { voucher: Voucher }) {
  const usage = useQuery({
    queryKey: keys.vouchers.usage(voucher.id),
    queryFn: () => unwrap(api.GET('/api/vouchers/{id}/usage', { params: { path: { id: voucher.id } } })),
  });
  return <LoadState state={usage}>{(data) => <UsageView figures={data} />}</LoadState>;
}

/**
 * One voucher's use. Staff get the server's usage view (limits included); a reseller sees what
 * their voucher list already carries (their token may not read the staff usage endpoint).
 */
export function UsageModal({ voucher, view, onClose }: { voucher: Voucher | null; view: 'staff' | 'reseller'; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={voucher !== null}
      onClose={onClose}
      centered
      size="lg"
      title={voucher ? t('vouchers.usage.title', { code: voucher.code, serial: batchLabel(voucher.batch_number, voucher.seq) }) : ''}
    >
      {voucher && (view === 'staff' ? <StaffUsage voucher={voucher} /> : <UsageView figures={voucher} />)}
    </Modal>
  );
}

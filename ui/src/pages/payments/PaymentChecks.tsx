import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import { errorTitle } from '../../components/FormError';

/** Manual methods; everything else (duitku, …) is a gateway payment the server can re-check. */
export const MANUAL_METHODS = ['cash', 'transfer'];

const OUTCOME_COLORS: Record<string, string> = {
  applied: 'green',
  already_applied: 'green',
  still_pending: 'blue',
  closed: 'gray',
  held: 'orange',
  unknown: 'yellow',
};

function useFailure() {
  const { t } = useTranslation();
  return (e: unknown) => {
    const error = asApiError(e);
    notifications.show({ color: 'red', title: errorTitle(error, t), message: error.kind === 'network' ? '' : error.message });
  };
}

/** "Cek sekarang": asks the gateway about one pending payment, then reloads the list. */
export function CheckNowButton({ id, onChecked }: { id: string; onChecked: () => void }) {
  const { t } = useTranslation();
  const fail = useFailure();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const result = await unwrap(api.POST('/api/payments/{id}/check', { params: { path: { id } } }));
      notifications.show({
        color: OUTCOME_COLORS[result.outcome] ?? 'gray',
        title: t('payments.check_title'),
        message: t(`payments.outcome.${result.outcome}` as 'payments.outcome.unknown', { defaultValue: result.outcome }),
      });
      onChecked();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button size="compact-sm" variant="light" loading={busy} onClick={() => void run()}>
      {t('payments.check_now')}
    </Button>
  );
}

/** "Cek semua pembayaran tertunda": the same check for every pending gateway payment. */
export function CheckPendingButton({ onChecked }: { onChecked: () => void }) {
  const { t } = useTranslation();
  const fail = useFailure();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const s = await unwrap(api.POST('/api/payments/check-pending'));
      notifications.show({
        color: s.errors > 0 ? 'orange' : 'green',
        title: t('payments.check_title'),
        message: t('payments.check_summary', { checked: s.checked, paid: s.paid, closed: s.closed, errors: s.errors }),
      });
      onChecked();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button variant="default" loading={busy} onClick={() => void run()}>
      {t('payments.check_all')}
    </Button>
  );
}

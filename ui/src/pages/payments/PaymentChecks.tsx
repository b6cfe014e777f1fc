import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import { errorTitle } from '../../components/FormError';
import { useInvalidate } from '../../lib/queryClient';
import { BILLING_KEYS } from '../../lib/queryKeys';

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

/** "Cek sekarang": asks the gateway about one pending payment; the lists refresh. */
export function CheckNowButton({ id }: { id: string }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const check = useMutation({
    mutationFn: () => unwrap(api.POST('/api/payments/{id}/check', { params: { path: { id } } })),
    onSuccess: (result) => {
      notifications.show({
        color: OUTCOME_COLORS[result.outcome] ?? 'gray',
        title: t('payments.check_title'),
        message: t(`payments.outcome.${result.outcome}` as 'payments.outcome.unknown', { defaultValue: result.outcome }),
      });
      void invalidate(...BILLING_KEYS);
    },
    onError: useFailure(),
  });
  return (
    <Button size="compact-sm" variant="light" loading={check.isPending} onClick={() => check.mutate()}>
      {t('payments.check_now')}
    </Button>
  );
}

/** "Cek semua pembayaran tertunda": the same check for every pending gateway payment. */
export function CheckPendingButton() {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const check = useMutation({
    mutationFn: () => unwrap(api.POST('/api/payments/check-pending')),
    onSuccess: (s) => {
      notifications.show({
        color: s.errors > 0 ? 'orange' : 'green',
        title: t('payments.check_title'),
        message: t('payments.check_summary', { checked: s.checked, paid: s.paid, closed: s.closed, errors: s.errors }),
      });
      void invalidate(...BILLING_KEYS);
    },
    onError: useFailure(),
  });
  return (
    <Button variant="default" loading={check.isPending} onClick={() => check.mutate()}>
      {t('payments.check_all')}
    </Button>
  );
}

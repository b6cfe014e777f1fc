import { Alert, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { formatDate } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { useInvalidate } from '../../lib/queryClient';
import { BILLING_KEYS, keys } from '../../lib/queryKeys';

/**
 * "Terbitkan tagihan berikutnya": shows the period and the amount the server would issue
 * (a dry run) and issues it only when confirmed.
 */
export function RenewButton({ id, disabled, onOpen }: { id: string; disabled: boolean; onOpen?: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const [open, setOpen] = useState(false);
  const preview = useQuery({
    queryKey: keys.subscriptions.renewPreview(id),
    queryFn: () => unwrap(api.GET('/api/subscriptions/{id}/renew', { params: { path: { id } } })),
    enabled: open,
    staleTime: 0,
    gcTime: 0,
  });
  const renew = useMutation({
    mutationFn: () => unwrap(api.POST('/api/subscriptions/{id}/renew', { params: { path: { id } } })),
    onSuccess: (invoice) => {
      setOpen(false);
      notifications.show({ color: 'green', message: t('subscriptions.renewed', { number: invoice.number }) });
      void invalidate(...BILLING_KEYS);
    },
  });
  const close = () => {
    setOpen(false);
    renew.reset();
  };

  return (
    <>
      <Button
        onClick={() => {
          onOpen?.();
          renew.reset();
          setOpen(true);
        }}
        disabled={disabled}
      >
        {t('subscriptions.renew')}
      </Button>
      <Modal opened={open} onClose={close} title={t('subscriptions.renew_title')} centered>
        <LoadState state={preview}>
          {(p) => (
            <Stack data-testid="renew-confirm">
              {p.issues ? (
                <Text size="sm">
                  {p.count > 1 ? t('subscriptions.renew_text_several', { count: p.count }) : t('subscriptions.renew_text')}
                </Text>
              ) : (
                <Alert color="blue" variant="light">
                  {t('subscriptions.renew_already', { number: p.number ?? '' })}
                </Alert>
              )}
              <Table withRowBorders={false} verticalSpacing={4}>
                <Table.Tbody>
                  <Table.Tr>
                    <Table.Th w={160}>{t('invoices.period')}</Table.Th>
                    <Table.Td data-testid="renew-period">
                      {formatDate(p.period_start)} – {formatDate(p.period_end)}
                    </Table.Td>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Th>{t('invoices.total')}</Table.Th>
                    <Table.Td data-testid="renew-total">{formatRupiah(p.total)}</Table.Td>
                  </Table.Tr>
                  {p.owed !== p.total && (
                    <Table.Tr>
                      <Table.Th>{t('invoices.owed')}</Table.Th>
                      <Table.Td data-testid="renew-owed">{formatRupiah(p.owed)}</Table.Td>
                    </Table.Tr>
                  )}
                </Table.Tbody>
              </Table>
              <FormError error={renew.error} />
              <Group justify="flex-end">
                <Button variant="default" onClick={close}>
                  {p.issues ? t('common.cancel') : t('common.close')}
                </Button>
                {p.issues && (
                  <Button loading={renew.isPending} onClick={() => renew.mutate()}>
                    {t('subscriptions.renew_confirm')}
                  </Button>
                )}
              </Group>
            </Stack>
          )}
        </LoadState>
      </Modal>
    </>
  );
}

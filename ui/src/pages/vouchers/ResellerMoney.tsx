import { Button, Group, Modal, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Reseller } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { RupiahInput } from '../../components/RupiahInput';
import { formatDateTime } from '../../lib/dates';
import { useServerError } from '../../lib/formErrors';
import { formatRupiah, formatSignedRupiah } from '../../lib/money';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';

type Kind = 'deposit' | 'withdrawal';

/** "Deposit / tarik": money the reseller hands over, or gets back from their deposit. */
export function DepositModal({ reseller, onClose, onSaved }: { reseller: Reseller | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const form = useForm({
    initialValues: { kind: 'deposit' as Kind, amount: null as number | null, note: '' },
    validate: {
      amount: (amount, values) =>
        amount === null || amount <= 0
          ? t('vouchers.resellers.amount_invalid')
          : values.kind === 'withdrawal' && reseller && amount > reseller.balance
            ? t('vouchers.resellers.withdraw_too_much', { balance: formatRupiah(reseller.balance) })
            : null,
    },
  });
  const serverError = useServerError(form);
  const save = useMutation({
    mutationFn: ({ id, values }: { id: string; values: typeof form.values }) =>
      unwrap(
        api.POST('/api/resellers/{id}/deposits', {
          params: { path: { id } },
          body: { kind: values.kind, amount: values.amount ?? 0, note: values.note.trim() },
        }),
      ),
    onSuccess: () => void invalidate(keys.resellers.all),
  });

  useEffect(() => {
    if (!reseller) return;
    form.setValues({ kind: 'deposit', amount: null, note: '' });
    form.clearErrors();
    serverError.clear();
  }, [reseller]);

  return (
    <Modal
      opened={reseller !== null}
      onClose={onClose}
      centered
      title={reseller ? t('vouchers.resellers.deposit_title', { name: reseller.name }) : ''}
    >
      <form
        onSubmit={serverError.onSubmit(async (values) => {
          if (!reseller) return;
          await save.mutateAsync({ id: reseller.id, values });
          onSaved();
        })}
        noValidate
      >
        <Stack gap="sm">
          <Text size="sm">
            {t('vouchers.resellers.balance_now', { balance: formatRupiah(reseller?.balance ?? 0) })}
          </Text>
          <SegmentedControl
            aria-label={t('vouchers.resellers.deposit_kind')}
            value={form.values.kind}
            onChange={(v) => form.setFieldValue('kind', v as Kind)}
            data={[
              { value: 'deposit', label: t('vouchers.ledger.deposit') },
              { value: 'withdrawal', label: t('vouchers.ledger.withdrawal') },
            ]}
          />
          <RupiahInput data-autofocus label={t('vouchers.resellers.amount')} {...form.getInputProps('amount')} value={form.values.amount} />
          <TextInput label={t('vouchers.resellers.note')} {...form.getInputProps('note')} />
          <FormError error={serverError.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function LedgerTable({ reseller }: { reseller: Reseller }) {
  const { t } = useTranslation();
  const ledger = useQuery({
    queryKey: keys.resellers.ledger(reseller.id),
    queryFn: () => unwrap(api.GET('/api/resellers/{id}/ledger', { params: { path: { id: reseller.id } } })),
  });
  return (
    <LoadState state={ledger}>
      {(data) => (
        <Table.ScrollContainer minWidth={640}>
          <Table striped aria-label={t('vouchers.resellers.ledger')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('vouchers.ledger.when')}</Table.Th>
                <Table.Th>{t('vouchers.ledger.kind')}</Table.Th>
                <Table.Th ta="right">{t('vouchers.ledger.amount')}</Table.Th>
                <Table.Th ta="right">{t('vouchers.ledger.balance_after')}</Table.Th>
                <Table.Th>{t('vouchers.ledger.note')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>{t('common.empty')}</Table.Td>
                </Table.Tr>
              )}
              {data.items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.created_at)}</Table.Td>
                  <Table.Td>{t(`vouchers.ledger.${e.kind}` as 'vouchers.ledger.deposit', { defaultValue: e.kind })}</Table.Td>
                  <Table.Td ta="right" c={e.amount < 0 ? 'red' : 'green'} style={{ whiteSpace: 'nowrap' }}>
                    {formatSignedRupiah(e.amount)}
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {formatRupiah(e.balance_after)}
                  </Table.Td>
                  <Table.Td>
                    {e.note || '—'}
                    <Text size="xs" c="dimmed">
                      {e.created_by}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </LoadState>
  );
}

/** The reseller's deposit history, newest first. */
export function LedgerModal({ reseller, onClose }: { reseller: Reseller | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={reseller !== null} onClose={onClose} centered size="xl" title={reseller ? t('vouchers.resellers.ledger_title', { name: reseller.name }) : ''}>
      {reseller && <LedgerTable reseller={reseller} />}
    </Modal>
  );
}

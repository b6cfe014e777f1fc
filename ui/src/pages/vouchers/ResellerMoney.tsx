import { Button, Group, Modal, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { Reseller } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { RupiahInput } from '../../components/RupiahInput';
import { formatDateTime } from '../../lib/dates';
import { fieldError } from '../../lib/fieldError';
import { formatRupiah, formatSignedRupiah } from '../../lib/money';
import { useApi } from '../../lib/useApi';

type Kind = 'deposit' | 'withdrawal';

/** "Deposit / tarik": money the reseller hands over, or gets back from their deposit. */
export function DepositModal({ reseller, onClose, onSaved }: { reseller: Reseller | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>('deposit');
  const [amount, setAmount] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [local, setLocal] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!reseller) return;
    setKind('deposit');
    setAmount(null);
    setNote('');
    setLocal(undefined);
    setError(null);
  }, [reseller]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reseller) return;
    setError(null);
    if (amount === null || amount <= 0) {
      setLocal(t('vouchers.resellers.amount_invalid'));
      return;
    }
    if (kind === 'withdrawal' && amount > reseller.balance) {
      setLocal(t('vouchers.resellers.withdraw_too_much', { balance: formatRupiah(reseller.balance) }));
      return;
    }
    setLocal(undefined);
    setBusy(true);
    try {
      await unwrap(
        api.POST('/api/resellers/{id}/deposits', { params: { path: { id: reseller.id } }, body: { kind, amount, note: note.trim() } }),
      );
      onSaved();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={reseller !== null}
      onClose={onClose}
      centered
      title={reseller ? t('vouchers.resellers.deposit_title', { name: reseller.name }) : ''}
    >
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="sm">
          <Text size="sm">
            {t('vouchers.resellers.balance_now', { balance: formatRupiah(reseller?.balance ?? 0) })}
          </Text>
          <SegmentedControl
            aria-label={t('vouchers.resellers.deposit_kind')}
            value={kind}
            onChange={(v) => setKind(v as Kind)}
            data={[
              { value: 'deposit', label: t('vouchers.ledger.deposit') },
              { value: 'withdrawal', label: t('vouchers.ledger.withdrawal') },
            ]}
          />
          <RupiahInput
            label={t('vouchers.resellers.amount')}
            value={amount}
            onChange={setAmount}
            error={local ?? fieldError(error, 'amount')}
          />
          <TextInput
            label={t('vouchers.resellers.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            error={fieldError(error, 'note')}
          />
          <FormError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
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
  const ledger = useApi(() => unwrap(api.GET('/api/resellers/{id}/ledger', { params: { path: { id: reseller.id } } })), [reseller.id]);
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

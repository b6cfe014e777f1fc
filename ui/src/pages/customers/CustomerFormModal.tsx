import { Button, Group, Modal, NativeSelect, Stack, Switch, TextInput, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { Customer } from '../../api/types';
import { FormError } from '../../components/FormError';
import { fieldError } from '../../lib/fieldError';

interface Props {
  opened: boolean;
  onClose: () => void;
  /** Edits this customer; creates a new one when absent. */
  customer?: Customer;
  onSaved: (customer: Customer) => void;
}

/** "Tambah pelanggan" / "Ubah pelanggan": server field errors appear under their input. */
export function CustomerFormModal({ opened, onClose, customer, onSaved }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [address, setAddress] = useState('');
  const [notes, setNotes] = useState('');
  const [status, setStatus] = useState<Customer['status']>('active');
  const [optOut, setOptOut] = useState(false);
  const [missing, setMissing] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setName(customer?.name ?? '');
    setPhone(customer?.phone ?? '');
    setAddress(customer?.address ?? '');
    setNotes(customer?.notes ?? '');
    setStatus(customer?.status ?? 'active');
    setOptOut(customer?.whatsapp_opt_out ?? false);
    setMissing({});
    setError(null);
  }, [opened, customer]);

  const known = { phone: t('customers.phone_invalid') };
  const err = (field: string) =>
    missing[field] ? t('validation.required') : fieldError(error, field, known);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const local = { name: !name.trim(), phone: !phone.trim() };
    setMissing(local);
    setError(null);
    if (local.name || local.phone) return;
    setBusy(true);
    try {
      const body = { name: name.trim(), phone: phone.trim(), address: address.trim(), notes: notes.trim() };
      const saved = customer
        ? await unwrap(
            api.PATCH('/api/customers/{id}', { params: { path: { id: customer.id } }, body: { ...body, status, whatsapp_opt_out: optOut } }),
          )
        : await unwrap(api.POST('/api/customers', { body }));
      onSaved(saved);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={customer ? t('customers.edit') : t('customers.add')}
      centered
    >
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('customers.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={err('name')}
            data-autofocus
          />
          <TextInput
            label={t('customers.phone')}
            description={t('customers.phone_hint')}
            inputMode="tel"
            value={phone}
            onChange={(e) => setPhone(e.currentTarget.value)}
            error={err('phone')}
          />
          <Textarea
            label={t('customers.address')}
            value={address}
            onChange={(e) => setAddress(e.currentTarget.value)}
            error={err('address')}
            autosize
            minRows={2}
          />
          <Textarea
            label={t('customers.notes')}
            value={notes}
            onChange={(e) => setNotes(e.currentTarget.value)}
            error={err('notes')}
            autosize
            minRows={2}
          />
          {customer && (
            <Switch
              label={t('customers.opt_out')}
              description={t('customers.opt_out_hint')}
              checked={optOut}
              onChange={(e) => setOptOut(e.currentTarget.checked)}
            />
          )}
          {customer && (
            <NativeSelect
              label={t('common.status')}
              value={status}
              onChange={(e) => setStatus(e.currentTarget.value as Customer['status'])}
              data={[
                { value: 'active', label: t('status.customer.active') },
                { value: 'inactive', label: t('status.customer.inactive') },
              ]}
            />
          )}
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

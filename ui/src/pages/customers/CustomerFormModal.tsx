import { Button, Group, Modal, NativeSelect, Stack, Switch, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Customer } from '../../api/types';
import { FormError } from '../../components/FormError';
import { useServerError } from '../../lib/formErrors';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';

interface Props {
  opened: boolean;
  onClose: () => void;
  /** Edits this customer; creates a new one when absent. */
  customer?: Customer;
  onSaved: (customer: Customer) => void;
}

const valuesOf = (customer?: Customer) => ({
  name: customer?.name ?? '',
  phone: customer?.phone ?? '',
  address: customer?.address ?? '',
  notes: customer?.notes ?? '',
  status: customer?.status ?? 'active',
  whatsapp_opt_out: customer?.whatsapp_opt_out ?? false,
});

/** "Tambah pelanggan" / "Ubah pelanggan": server field errors appear under their input. */
export function CustomerFormModal({ opened, onClose, customer, onSaved }: Props) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const required = (v: string) => (v.trim() ? null : t('validation.required'));
  const form = useForm({ initialValues: valuesOf(customer), validate: { name: required, phone: required } });
  const serverError = useServerError(form, { known: { phone: t('customers.phone_invalid') } });
  const save = useMutation({
    mutationFn: (v: ReturnType<typeof valuesOf>) => {
      const body = { name: v.name.trim(), phone: v.phone.trim(), address: v.address.trim(), notes: v.notes.trim() };
      return customer
        ? unwrap(
            api.PATCH('/api/customers/{id}', {
              params: { path: { id: customer.id } },
              body: { ...body, status: v.status, whatsapp_opt_out: v.whatsapp_opt_out },
            }),
          )
        : unwrap(api.POST('/api/customers', { body }));
    },
    onSuccess: () => void invalidate(keys.customers.all),
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues(valuesOf(customer));
    form.clearErrors();
    serverError.clear();
  }, [opened]);

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={customer ? t('customers.edit') : t('customers.add')}
      centered
    >
      <form onSubmit={serverError.onSubmit(async (values) => onSaved(await save.mutateAsync(values)))} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('customers.name')}
            {...form.getInputProps('name')}
            data-autofocus
          />
          <TextInput
            label={t('customers.phone')}
            description={t('customers.phone_hint')}
            inputMode="tel"
            {...form.getInputProps('phone')}
          />
          <Textarea
            label={t('customers.address')}
            {...form.getInputProps('address')}
            autosize
            minRows={2}
          />
          <Textarea
            label={t('customers.notes')}
            {...form.getInputProps('notes')}
            autosize
            minRows={2}
          />
          {customer && (
            <Switch
              label={t('customers.opt_out')}
              description={t('customers.opt_out_hint')}
              {...form.getInputProps('whatsapp_opt_out', { type: 'checkbox' })}
            />
          )}
          {customer && (
            <NativeSelect
              label={t('common.status')}
              {...form.getInputProps('status')}
              data={[
                { value: 'active', label: t('status.customer.active') },
                { value: 'inactive', label: t('status.customer.inactive') },
              ]}
            />
          )}
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

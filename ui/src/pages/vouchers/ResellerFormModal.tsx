import { Button, Group, Modal, NumberInput, PasswordInput, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Reseller } from '../../api/types';
import { FormError } from '../../components/FormError';
import { useServerError } from '../../lib/formErrors';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { PASSWORD_MIN_LENGTH, checkUsername } from '../../lib/validation';
import { percentToBp } from '../../lib/voucherFormat';

interface Props {
  opened: boolean;
  reseller?: Reseller;
  onClose: () => void;
  onSaved: () => void;
}

const valuesOf = (reseller?: Reseller) => ({
  username: reseller?.username ?? '',
  password: '',
  name: reseller?.name ?? '',
  phone: reseller?.phone ?? '',
  /** Percent in the form, basis points on the wire. */
  commission_bp: (reseller ? reseller.commission_bp / 100 : 10) as number | '',
  active: reseller?.active ?? true,
});

/** "Tambah reseller" (with their own login) / "Ubah reseller" (incl. blocking the login). */
export function ResellerFormModal({ opened, reseller, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const form = useForm({
    initialValues: valuesOf(reseller),
    validate: {
      username: (v) => {
        if (reseller) return null;
        const problem = checkUsername(v.trim());
        return problem ? t(problem) : null;
      },
      password: (v) =>
        (!reseller || v) && [...v].length < PASSWORD_MIN_LENGTH
          ? v
            ? t('validation.password_short')
            : t('validation.required')
          : null,
      name: (v) => (v.trim() ? null : t('validation.required')),
      commission_bp: (v) => (percentToBp(v === '' ? null : v) === null ? t('vouchers.resellers.commission_invalid') : null),
    },
  });
  const serverError = useServerError(form);
  const save = useMutation({
    mutationFn: (v: ReturnType<typeof valuesOf>) => {
      const commission = percentToBp(v.commission_bp === '' ? null : v.commission_bp) ?? 0;
      return reseller
        ? unwrap(
            api.PATCH('/api/resellers/{id}', {
              params: { path: { id: reseller.id } },
              body: { name: v.name.trim(), phone: v.phone.trim(), commission_bp: commission, active: v.active, password: v.password || null },
            }),
          )
        : unwrap(
            api.POST('/api/resellers', {
              body: { username: v.username.trim(), password: v.password, name: v.name.trim(), phone: v.phone.trim() || null, commission_bp: commission },
            }),
          );
    },
    onSuccess: () => void invalidate(keys.resellers.all),
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues(valuesOf(reseller));
    form.clearErrors();
    serverError.clear();
  }, [opened]);

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={reseller ? t('vouchers.resellers.edit') : t('vouchers.resellers.add')}
      centered
      size="lg"
    >
      <form
        onSubmit={serverError.onSubmit(async (values) => {
          await save.mutateAsync(values);
          onSaved();
        })}
        noValidate
      >
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput data-autofocus label={t('vouchers.resellers.name')} {...form.getInputProps('name')} />
            <TextInput
              label={t('vouchers.resellers.phone')}
              placeholder="0812…"
              inputMode="tel"
              {...form.getInputProps('phone')}
            />
            <TextInput
              label={t('vouchers.resellers.username')}
              description={reseller ? undefined : t('vouchers.resellers.username_hint')}
              autoComplete="off"
              autoCapitalize="none"
              disabled={Boolean(reseller)}
              {...form.getInputProps('username')}
            />
            <PasswordInput
              label={reseller ? t('vouchers.resellers.new_password') : t('vouchers.resellers.password')}
              description={
                reseller ? t('vouchers.resellers.new_password_hint') : t('vouchers.resellers.password_hint', { min: PASSWORD_MIN_LENGTH })
              }
              autoComplete="new-password"
              {...form.getInputProps('password')}
            />
            <NumberInput
              label={t('vouchers.resellers.commission')}
              description={t('vouchers.resellers.commission_hint')}
              min={0}
              max={100}
              decimalScale={2}
              decimalSeparator=","
              allowNegative={false}
              rightSection="%"
              {...form.getInputProps('commission_bp')}
              onChange={(v) => form.setFieldValue('commission_bp', typeof v === 'number' ? v : '')}
            />
          </SimpleGrid>
          {reseller && (
            <Switch
              label={t('vouchers.resellers.active')}
              description={t('vouchers.resellers.active_hint')}
              {...form.getInputProps('active', { type: 'checkbox' })}
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

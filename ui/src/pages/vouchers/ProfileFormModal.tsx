import { Button, Checkbox, Group, Modal, NumberInput, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { VoucherProfile } from '../../api/types';
import { FormError } from '../../components/FormError';
import { RupiahInput } from '../../components/RupiahInput';
import { useServerError } from '../../lib/formErrors';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { DurationInput, QuotaInput } from './LimitInputs';

interface Props {
  opened: boolean;
  profile?: VoucherProfile;
  onClose: () => void;
  onSaved: (saved: VoucherProfile) => void;
}

// upload/download with an optional k/M/G, maybe followed by RouterOS burst settings.
const RATE_LIMIT = /^\d+[kKmMgG]?\/\d+[kKmMgG]?(\s|$)/;

const valuesOf = (profile?: VoucherProfile) => ({
  name: profile?.name ?? '',
  price: profile?.price ?? (null as number | null),
  validity_secs: profile?.validity_secs ?? (null as number | null),
  uptime_limit_secs: profile?.uptime_limit_secs ?? (null as number | null),
  quota_bytes: profile?.quota_bytes ?? (null as number | null),
  rate_limit: profile?.rate_limit ?? '',
  shared_users: profile?.shared_users ?? 1,
  router_profile: profile?.router_profile ?? '',
  active: profile?.active ?? true,
  for_sale: profile?.for_sale ?? false,
});

/** "Tambah profil voucher" / "Ubah profil voucher". */
export function ProfileFormModal({ opened, profile, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const form = useForm({
    initialValues: valuesOf(profile),
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      price: (v) => (v === null || v < 0 ? t('vouchers.profiles.price_invalid') : null),
      rate_limit: (v) => (v.trim() && !RATE_LIMIT.test(v.trim()) ? t('vouchers.profiles.rate_limit_invalid') : null),
      validity_secs: (v) => (v !== null && v < 60 ? t('vouchers.profiles.validity_short') : null),
    },
  });
  const serverError = useServerError(form);
  const save = useMutation({
    mutationFn: (v: ReturnType<typeof valuesOf>) => {
      const body = {
        name: v.name.trim(),
        price: v.price ?? 0,
        validity_secs: v.validity_secs,
        uptime_limit_secs: v.uptime_limit_secs,
        quota_bytes: v.quota_bytes,
        rate_limit: v.rate_limit.trim(),
        shared_users: v.shared_users,
        router_profile: v.router_profile.trim() || null,
        active: v.active,
        for_sale: v.for_sale,
      };
      return profile
        ? unwrap(api.PATCH('/api/voucher-profiles/{id}', { params: { path: { id: profile.id } }, body }))
        : unwrap(api.POST('/api/voucher-profiles', { body }));
    },
    // The shop's "nothing for sale" reason follows the profiles.
    onSuccess: () => void invalidate(keys.voucherProfiles.all, keys.shop.settings()),
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues(valuesOf(profile));
    form.clearErrors();
    serverError.clear();
  }, [opened]);

  const title = profile ? t('vouchers.profiles.edit') : t('vouchers.profiles.add');

  return (
    <Modal opened={opened} onClose={onClose} title={title} centered size="lg">
      <form onSubmit={serverError.onSubmit(async (values) => onSaved(await save.mutateAsync(values)))} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput data-autofocus
              label={t('vouchers.profiles.name')}
              placeholder={t('vouchers.profiles.name_placeholder')}
              {...form.getInputProps('name')}
            />
            <RupiahInput label={t('vouchers.profiles.price')} {...form.getInputProps('price')} value={form.values.price} />
            <DurationInput
              label={t('vouchers.profiles.validity')}
              description={t('vouchers.profiles.validity_hint')}
              {...form.getInputProps('validity_secs')}
              value={form.values.validity_secs}
            />
            <DurationInput
              label={t('vouchers.profiles.uptime_limit')}
              description={t('vouchers.profiles.uptime_limit_hint')}
              {...form.getInputProps('uptime_limit_secs')}
              value={form.values.uptime_limit_secs}
            />
            <QuotaInput
              label={t('vouchers.profiles.quota')}
              description={t('vouchers.profiles.quota_hint')}
              {...form.getInputProps('quota_bytes')}
              value={form.values.quota_bytes}
            />
            <TextInput
              label={t('vouchers.profiles.rate_limit')}
              description={t('vouchers.profiles.rate_limit_hint')}
              placeholder="2M/5M"
              {...form.getInputProps('rate_limit')}
            />
            <NumberInput
              label={t('vouchers.profiles.shared_users')}
              description={t('vouchers.profiles.shared_users_hint')}
              min={1}
              max={100}
              allowDecimal={false}
              allowNegative={false}
              {...form.getInputProps('shared_users')}
              onChange={(v) => form.setFieldValue('shared_users', typeof v === 'number' ? v : 1)}
            />
            <TextInput
              label={t('vouchers.profiles.router_profile')}
              description={t('vouchers.profiles.router_profile_hint')}
              {...form.getInputProps('router_profile')}
            />
          </SimpleGrid>
          <Checkbox
            label={t('vouchers.profiles.active')}
            {...form.getInputProps('active', { type: 'checkbox' })}
          />
          <Switch
            label={t('vouchers.profiles.for_sale')}
            description={t('vouchers.profiles.for_sale_hint')}
            data-testid="profile-for-sale"
            {...form.getInputProps('for_sale', { type: 'checkbox' })}
          />
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

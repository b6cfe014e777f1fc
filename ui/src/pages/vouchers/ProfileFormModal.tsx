import { Button, Checkbox, Group, Modal, NumberInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { VoucherProfile } from '../../api/types';
import { FormError } from '../../components/FormError';
import { RupiahInput } from '../../components/RupiahInput';
import { fieldError } from '../../lib/fieldError';
import { DurationInput, QuotaInput } from './LimitInputs';

interface Props {
  opened: boolean;
  profile?: VoucherProfile;
  onClose: () => void;
  onSaved: (saved: VoucherProfile) => void;
}

// upload/download with an optional k/M/G, maybe followed by RouterOS burst settings.
const RATE_LIMIT = /^\d+[kKmMgG]?\/\d+[kKmMgG]?(\s|$)/;

/** "Tambah profil voucher" / "Ubah profil voucher". */
export function ProfileFormModal({ opened, profile, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [price, setPrice] = useState<number | null>(null);
  const [validity, setValidity] = useState<number | null>(null);
  const [uptime, setUptime] = useState<number | null>(null);
  const [quota, setQuota] = useState<number | null>(null);
  const [rate, setRate] = useState('');
  const [shared, setShared] = useState<number>(1);
  const [routerProfile, setRouterProfile] = useState('');
  const [active, setActive] = useState(true);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setName(profile?.name ?? '');
    setPrice(profile?.price ?? null);
    setValidity(profile?.validity_secs ?? null);
    setUptime(profile?.uptime_limit_secs ?? null);
    setQuota(profile?.quota_bytes ?? null);
    setRate(profile?.rate_limit ?? '');
    setShared(profile?.shared_users ?? 1);
    setRouterProfile(profile?.router_profile ?? '');
    setActive(profile?.active ?? true);
    setLocal({});
    setError(null);
  }, [opened, profile]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = t('validation.required');
    if (price === null || price < 0) problems.price = t('vouchers.profiles.price_invalid');
    if (rate.trim() && !RATE_LIMIT.test(rate.trim())) problems.rate_limit = t('vouchers.profiles.rate_limit_invalid');
    if (validity !== null && validity < 60) problems.validity_secs = t('vouchers.profiles.validity_short');
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length > 0 || price === null) return;
    const body = {
      name: name.trim(),
      price,
      validity_secs: validity,
      uptime_limit_secs: uptime,
      quota_bytes: quota,
      rate_limit: rate.trim(),
      shared_users: shared,
      router_profile: routerProfile.trim() || null,
      active,
    };
    setBusy(true);
    try {
      const saved = profile
        ? await unwrap(api.PATCH('/api/voucher-profiles/{id}', { params: { path: { id: profile.id } }, body }))
        : await unwrap(api.POST('/api/voucher-profiles', { body }));
      onSaved(saved);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const err = (field: string) => local[field] ?? fieldError(error, field);
  const title = profile ? t('vouchers.profiles.edit') : t('vouchers.profiles.add');

  return (
    <Modal opened={opened} onClose={onClose} title={title} centered size="lg">
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('vouchers.profiles.name')}
              placeholder={t('vouchers.profiles.name_placeholder')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={err('name')}
            />
            <RupiahInput label={t('vouchers.profiles.price')} value={price} onChange={setPrice} error={err('price')} />
            <DurationInput
              label={t('vouchers.profiles.validity')}
              description={t('vouchers.profiles.validity_hint')}
              value={validity}
              onChange={setValidity}
              error={err('validity_secs')}
            />
            <DurationInput
              label={t('vouchers.profiles.uptime_limit')}
              description={t('vouchers.profiles.uptime_limit_hint')}
              value={uptime}
              onChange={setUptime}
              error={err('uptime_limit_secs')}
            />
            <QuotaInput
              label={t('vouchers.profiles.quota')}
              description={t('vouchers.profiles.quota_hint')}
              value={quota}
              onChange={setQuota}
              error={err('quota_bytes')}
            />
            <TextInput
              label={t('vouchers.profiles.rate_limit')}
              description={t('vouchers.profiles.rate_limit_hint')}
              placeholder="2M/5M"
              value={rate}
              onChange={(e) => setRate(e.currentTarget.value)}
              error={err('rate_limit')}
            />
            <NumberInput
              label={t('vouchers.profiles.shared_users')}
              description={t('vouchers.profiles.shared_users_hint')}
              min={1}
              max={100}
              allowDecimal={false}
              allowNegative={false}
              value={shared}
              onChange={(v) => setShared(typeof v === 'number' ? v : 1)}
              error={err('shared_users')}
            />
            <TextInput
              label={t('vouchers.profiles.router_profile')}
              description={t('vouchers.profiles.router_profile_hint')}
              value={routerProfile}
              onChange={(e) => setRouterProfile(e.currentTarget.value)}
              error={err('router_profile')}
            />
          </SimpleGrid>
          <Checkbox
            label={t('vouchers.profiles.active')}
            checked={active}
            onChange={(e) => setActive(e.currentTarget.checked)}
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

import { Alert, Button, Card, Checkbox, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Reseller, Router, VoucherBatch, VoucherCharset, VoucherProfile } from '../../api/types';
import { FormError } from '../../components/FormError';
import { useServerError } from '../../lib/formErrors';
import { formatRupiah } from '../../lib/money';

export const MAX_BATCH = 10_000;
const CHARSETS: VoucherCharset[] = ['mixed', 'digits', 'letters', 'mixed_case'];
const PREFIX = /^[A-Za-z0-9]{0,6}$/;

interface Props {
  profiles: VoucherProfile[];
  routers: Router[];
  resellers: Reseller[];
  /** Disabled while another batch is being written from this screen. */
  busy: boolean;
  onStarted: (batch: VoucherBatch) => void;
}

/** "Buat voucher": profile, router (when there are several), how many and how the codes look. */
export function BatchForm({ profiles, routers, resellers, busy, onStarted }: Props) {
  const { t } = useTranslation();
  const active = profiles.filter((p) => p.active);
  const form = useForm({
    initialValues: {
      profile_id: active[0]?.id ?? '',
      router_id: '',
      count: 10 as number | '',
      code_length: 6 as number | '',
      charset: 'mixed' as VoucherCharset,
      prefix: '',
      separate_password: false,
      reseller_id: '',
    },
    validate: {
      profile_id: (v) => (v ? null : t('validation.required')),
      router_id: (v) => (routers.length > 1 && !v ? t('validation.required') : null),
      count: (v) =>
        typeof v !== 'number' || v < 1 || v > MAX_BATCH
          ? t('vouchers.batches.count_invalid', { max: MAX_BATCH.toLocaleString('id-ID') })
          : null,
      code_length: (v) => (typeof v !== 'number' || v < 4 || v > 16 ? t('vouchers.batches.length_invalid') : null),
      prefix: (v) => (PREFIX.test(v.trim()) ? null : t('vouchers.batches.prefix_invalid')),
    },
  });
  const serverError = useServerError(form);
  const start = useMutation({
    mutationFn: (v: typeof form.values) =>
      unwrap(
        api.POST('/api/vouchers/batch', {
          body: {
            profile_id: v.profile_id,
            router_id: routers.length > 1 ? v.router_id : null,
            count: Number(v.count),
            code_length: Number(v.code_length),
            charset: v.charset,
            prefix: v.prefix.trim() || null,
            separate_password: v.separate_password,
            reseller_id: v.reseller_id || null,
          },
        }),
      ),
    onSuccess: (batch) => onStarted(batch),
  });
  const { profile_id: profileId, reseller_id: resellerId, count } = form.values;

  // A profile added (or deactivated) while the form is open.
  useEffect(() => {
    if (!active.some((p) => p.id === profileId)) form.setFieldValue('profile_id', active[0]?.id ?? '');
  }, [profiles]);

  const profile = active.find((p) => p.id === profileId);
  const reseller = resellers.find((r) => r.id === resellerId);
  const cost =
    profile && reseller && typeof count === 'number'
      ? (profile.price - Math.floor((profile.price * reseller.commission_bp) / 10_000)) * count
      : null;

  if (routers.length === 0 || active.length === 0) {
    return (
      <Alert variant="light" color="yellow" title={t('vouchers.batches.cannot_start')} data-testid="batch-prerequisites">
        <Stack gap={4}>
          {routers.length === 0 && (
            <Text size="sm">
              {t('vouchers.batches.need_router')}{' '}
              <Link to="/routers">{t('nav.routers')}</Link>
            </Text>
          )}
          {active.length === 0 && (
            <Text size="sm">
              {t('vouchers.batches.need_profile')}{' '}
              <Link to="/vouchers/profiles">{t('nav.vouchers_profiles')}</Link>
            </Text>
          )}
        </Stack>
      </Alert>
    );
  }

  return (
    <Card withBorder padding="md">
      <form onSubmit={serverError.onSubmit((values) => start.mutateAsync(values))} noValidate aria-label={t('vouchers.batches.form_title')}>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            <NativeSelect
              label={t('vouchers.batches.profile')}
              {...form.getInputProps('profile_id')}
              data={active.map((p) => ({ value: p.id, label: `${p.name} — ${formatRupiah(p.price)}` }))}
            />
            {routers.length > 1 && (
              <NativeSelect
                label={t('vouchers.batches.router')}
                {...form.getInputProps('router_id')}
                data={[{ value: '', label: t('vouchers.batches.router_choose') }, ...routers.map((r) => ({ value: r.id, label: r.name }))]}
              />
            )}
            <NumberInput
              label={t('vouchers.batches.count')}
              min={1}
              max={MAX_BATCH}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator="."
              decimalSeparator=","
              {...form.getInputProps('count')}
              onChange={(v) => form.setFieldValue('count', typeof v === 'number' ? v : '')}
            />
            <NumberInput
              label={t('vouchers.batches.code_length')}
              min={4}
              max={16}
              allowDecimal={false}
              allowNegative={false}
              {...form.getInputProps('code_length')}
              onChange={(v) => form.setFieldValue('code_length', typeof v === 'number' ? v : '')}
            />
            <NativeSelect
              label={t('vouchers.batches.charset')}
              {...form.getInputProps('charset')}
              data={CHARSETS.map((c) => ({ value: c, label: t(`vouchers.charset.${c}`) }))}
            />
            <TextInput
              label={t('vouchers.batches.prefix')}
              description={t('vouchers.batches.prefix_hint')}
              maxLength={6}
              {...form.getInputProps('prefix')}
            />
            <NativeSelect
              label={t('vouchers.batches.reseller')}
              {...form.getInputProps('reseller_id')}
              data={[
                { value: '', label: t('vouchers.batches.no_reseller') },
                ...resellers
                  .filter((r) => r.active)
                  .map((r) => ({ value: r.id, label: `${r.name} (${formatRupiah(r.balance)})` })),
              ]}
            />
          </SimpleGrid>
          <Checkbox
            label={t('vouchers.batches.separate_password')}
            description={t('vouchers.batches.separate_password_hint')}
            {...form.getInputProps('separate_password', { type: 'checkbox' })}
          />
          {reseller && cost !== null && (
            <Text size="sm" c={cost > reseller.balance ? 'red' : 'dimmed'} data-testid="batch-cost">
              {t('vouchers.batches.cost', { cost: formatRupiah(cost), balance: formatRupiah(reseller.balance) })}
            </Text>
          )}
          <FormError error={serverError.error} />
          <Group justify="flex-end">
            <Button type="submit" loading={start.isPending} disabled={busy}>
              {t('vouchers.batches.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

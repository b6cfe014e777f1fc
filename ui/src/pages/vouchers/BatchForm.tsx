import { Alert, Button, Card, Checkbox, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { Reseller, Router, VoucherBatch, VoucherCharset, VoucherProfile } from '../../api/types';
import { FormError } from '../../components/FormError';
import { fieldError } from '../../lib/fieldError';
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
  const [profileId, setProfileId] = useState(active[0]?.id ?? '');
  const [routerId, setRouterId] = useState('');
  const [count, setCount] = useState<number | ''>(10);
  const [length, setLength] = useState<number | ''>(6);
  const [charset, setCharset] = useState<VoucherCharset>('mixed');
  const [prefix, setPrefix] = useState('');
  const [separate, setSeparate] = useState(false);
  const [resellerId, setResellerId] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [sending, setSending] = useState(false);

  // A profile added (or deactivated) while the form is open.
  useEffect(() => {
    if (!active.some((p) => p.id === profileId)) setProfileId(active[0]?.id ?? '');
  }, [profiles]);

  const profile = active.find((p) => p.id === profileId);
  const reseller = resellers.find((r) => r.id === resellerId);
  const cost =
    profile && reseller && typeof count === 'number'
      ? (profile.price - Math.floor((profile.price * reseller.commission_bp) / 10_000)) * count
      : null;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!profileId) problems.profile_id = t('validation.required');
    if (routers.length > 1 && !routerId) problems.router_id = t('validation.required');
    if (typeof count !== 'number' || count < 1 || count > MAX_BATCH) {
      problems.count = t('vouchers.batches.count_invalid', { max: MAX_BATCH.toLocaleString('id-ID') });
    }
    if (typeof length !== 'number' || length < 4 || length > 16) problems.code_length = t('vouchers.batches.length_invalid');
    if (!PREFIX.test(prefix.trim())) problems.prefix = t('vouchers.batches.prefix_invalid');
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length > 0 || typeof count !== 'number' || typeof length !== 'number') return;
    setSending(true);
    try {
      const batch = await unwrap(
        api.POST('/api/vouchers/batch', {
          body: {
            profile_id: profileId,
            router_id: routers.length > 1 ? routerId : null,
            count,
            code_length: length,
            charset,
            prefix: prefix.trim() || null,
            separate_password: separate,
            reseller_id: resellerId || null,
          },
        }),
      );
      onStarted(batch);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setSending(false);
    }
  };

  const err = (field: string) => local[field] ?? fieldError(error, field);

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
      <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label={t('vouchers.batches.form_title')}>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            <NativeSelect
              label={t('vouchers.batches.profile')}
              value={profileId}
              onChange={(e) => setProfileId(e.currentTarget.value)}
              data={active.map((p) => ({ value: p.id, label: `${p.name} — ${formatRupiah(p.price)}` }))}
              error={err('profile_id')}
            />
            {routers.length > 1 && (
              <NativeSelect
                label={t('vouchers.batches.router')}
                value={routerId}
                onChange={(e) => setRouterId(e.currentTarget.value)}
                data={[{ value: '', label: t('vouchers.batches.router_choose') }, ...routers.map((r) => ({ value: r.id, label: r.name }))]}
                error={err('router_id')}
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
              value={count}
              onChange={(v) => setCount(typeof v === 'number' ? v : '')}
              error={err('count')}
            />
            <NumberInput
              label={t('vouchers.batches.code_length')}
              min={4}
              max={16}
              allowDecimal={false}
              allowNegative={false}
              value={length}
              onChange={(v) => setLength(typeof v === 'number' ? v : '')}
              error={err('code_length')}
            />
            <NativeSelect
              label={t('vouchers.batches.charset')}
              value={charset}
              onChange={(e) => setCharset(e.currentTarget.value as VoucherCharset)}
              data={CHARSETS.map((c) => ({ value: c, label: t(`vouchers.charset.${c}`) }))}
              error={err('charset')}
            />
            <TextInput
              label={t('vouchers.batches.prefix')}
              description={t('vouchers.batches.prefix_hint')}
              maxLength={6}
              value={prefix}
              onChange={(e) => setPrefix(e.currentTarget.value)}
              error={err('prefix')}
            />
            <NativeSelect
              label={t('vouchers.batches.reseller')}
              value={resellerId}
              onChange={(e) => setResellerId(e.currentTarget.value)}
              data={[
                { value: '', label: t('vouchers.batches.no_reseller') },
                ...resellers
                  .filter((r) => r.active)
                  .map((r) => ({ value: r.id, label: `${r.name} (${formatRupiah(r.balance)})` })),
              ]}
              error={err('reseller_id')}
            />
          </SimpleGrid>
          <Checkbox
            label={t('vouchers.batches.separate_password')}
            description={t('vouchers.batches.separate_password_hint')}
            checked={separate}
            onChange={(e) => setSeparate(e.currentTarget.checked)}
          />
          {reseller && cost !== null && (
            <Text size="sm" c={cost > reseller.balance ? 'red' : 'dimmed'} data-testid="batch-cost">
              {t('vouchers.batches.cost', { cost: formatRupiah(cost), balance: formatRupiah(reseller.balance) })}
            </Text>
          )}
          <FormError error={error} />
          <Group justify="flex-end">
            <Button type="submit" loading={sending} disabled={busy}>
              {t('vouchers.batches.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

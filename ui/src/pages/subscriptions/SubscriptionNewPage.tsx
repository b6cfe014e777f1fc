import { Button, Card, Group, NativeSelect, NumberInput, PasswordInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import { CustomerPicker } from '../../components/CustomerPicker';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { todayIso } from '../../lib/dates';
import { fieldError } from '../../lib/fieldError';
import { formatRupiah } from '../../lib/money';
import { useApi } from '../../lib/useApi';

const dayOf = (iso: string) => Math.min(28, Number(iso.slice(8, 10)) || 1);
const asInt = (v: string | number) => (typeof v === 'number' ? v : v.trim() === '' ? null : Number(v));

/** "Tambah langganan": creating it issues the first (pro-rated) invoice. */
export function SubscriptionNewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const plans = useApi(() => unwrap(api.GET('/api/plans')), []);
  const routers = useApi(() => unwrap(api.GET('/api/routers')), []);
  const [customerId, setCustomerId] = useState<string | null>(params.get('customer_id'));
  const [planId, setPlanId] = useState('');
  const [routerId, setRouterId] = useState('');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [startOn, setStartOn] = useState(todayIso());
  const [billingDay, setBillingDay] = useState<string | number>(dayOf(todayIso()));
  const [dayTouched, setDayTouched] = useState(false);
  const [dueDays, setDueDays] = useState<string | number>(7);
  const [graceDays, setGraceDays] = useState<string | number>(3);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const activePlans = (plans.data?.items ?? []).filter((p) => p.active);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const required = t('validation.required');
    if (!customerId) problems.customer_id = required;
    if (!planId) problems.plan_id = required;
    if (!login.trim()) problems.login = required;
    if (!password) problems.password = required;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startOn)) problems.start_on = required;
    const day = asInt(billingDay);
    if (day !== null && (day < 1 || day > 28)) problems.billing_day = t('subscriptions.billing_day_range');
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length > 0 || !customerId) return;
    setBusy(true);
    try {
      const created = await unwrap(
        api.POST('/api/subscriptions', {
          body: {
            customer_id: customerId,
            plan_id: planId,
            login: login.trim(),
            password,
            start_on: startOn,
            billing_day: day,
            due_days: asInt(dueDays),
            grace_days: asInt(graceDays),
            router_id: routerId || null,
          },
        }),
      );
      void navigate(`/subscriptions/${created.id}`);
    } catch (e) {
      setError(asApiError(e));
      setBusy(false);
    }
  };

  const known = { login: error?.kind === 'conflict' ? t('subscriptions.login_taken') : undefined };
  const err = (field: string) =>
    local[field] ?? fieldError(error, field, known.login ? { login: known.login } : {});

  return (
    <Stack gap="md" maw={760}>
      <PageHeader title={t('subscriptions.add')} back={{ to: '/subscriptions', label: t('nav.subscriptions') }} />
      <Card withBorder>
        <form onSubmit={(e) => void onSubmit(e)} noValidate>
          <Stack gap="sm">
            <CustomerPicker
              label={t('subscriptions.customer')}
              value={customerId}
              onChange={setCustomerId}
              error={err('customer_id')}
            />
            <NativeSelect
              label={t('subscriptions.plan')}
              value={planId}
              onChange={(e) => setPlanId(e.currentTarget.value)}
              error={err('plan_id')}
              data={[
                { value: '', label: t('subscriptions.choose_plan') },
                ...activePlans.map((p) => ({ value: p.id, label: `${p.name} — ${formatRupiah(p.price)}` })),
              ]}
            />
            <NativeSelect
              label={t('routers.sub_router')}
              description={t('routers.sub_router_hint')}
              value={routerId}
              onChange={(e) => setRouterId(e.currentTarget.value)}
              error={err('router_id')}
              data={[
                { value: '', label: t('routers.sub_no_router') },
                ...(routers.data?.items ?? []).map((r) => ({ value: r.id, label: r.name })),
              ]}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('subscriptions.login')}
                description={t('subscriptions.login_hint')}
                autoComplete="off"
                value={login}
                onChange={(e) => setLogin(e.currentTarget.value)}
                error={err('login')}
              />
              <PasswordInput
                label={t('subscriptions.password')}
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                error={err('password')}
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                type="date"
                label={t('subscriptions.start_on')}
                value={startOn}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setStartOn(v);
                  if (!dayTouched && v) setBillingDay(dayOf(v));
                }}
                error={err('start_on')}
              />
              <NumberInput
                label={t('subscriptions.billing_day')}
                description={t('subscriptions.billing_day_hint')}
                min={1}
                max={28}
                allowDecimal={false}
                allowNegative={false}
                value={billingDay}
                onChange={(v) => {
                  setDayTouched(true);
                  setBillingDay(v);
                }}
                error={err('billing_day')}
              />
              <NumberInput
                label={t('subscriptions.due_days')}
                min={0}
                allowDecimal={false}
                allowNegative={false}
                value={dueDays}
                onChange={setDueDays}
                error={err('due_days')}
              />
              <NumberInput
                label={t('subscriptions.grace_days')}
                min={0}
                allowDecimal={false}
                allowNegative={false}
                value={graceDays}
                onChange={setGraceDays}
                error={err('grace_days')}
              />
            </SimpleGrid>
            <FormError error={error} />
            <Group justify="flex-end">
              <Button type="submit" loading={busy}>
                {t('subscriptions.create_submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}

import { Button, Card, Group, NativeSelect, NumberInput, PasswordInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { plansQuery, routersQuery } from '../../api/queries';
import { CustomerPicker } from '../../components/CustomerPicker';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { todayIso } from '../../lib/dates';
import { useServerError } from '../../lib/formErrors';
import { formatRupiah } from '../../lib/money';
import { useInvalidate } from '../../lib/queryClient';
import { BILLING_KEYS } from '../../lib/queryKeys';
import { proposeRouter } from './proposeRouter';

const dayOf = (iso: string) => Math.min(28, Number(iso.slice(8, 10)) || 1);
const asInt = (v: string | number) => (typeof v === 'number' ? v : v.trim() === '' ? null : Number(v));

/** "Tambah langganan": creating it issues the first (pro-rated) invoice. */
export function SubscriptionNewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const [params] = useSearchParams();
  const plans = useQuery(plansQuery());
  const routers = useQuery(routersQuery());
  const [dayTouched, setDayTouched] = useState(false);
  const required = t('validation.required');
  const form = useForm({
    initialValues: {
      customer_id: params.get('customer_id') as string | null,
      plan_id: '',
      router_id: '',
      login: '',
      password: '',
      start_on: todayIso(),
      billing_day: dayOf(todayIso()) as string | number,
      due_days: 7 as string | number,
      grace_days: 3 as string | number,
    },
    validate: {
      customer_id: (v) => (v ? null : required),
      plan_id: (v) => (v ? null : required),
      login: (v) => (v.trim() ? null : required),
      password: (v) => (v ? null : required),
      start_on: (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? null : required),
      billing_day: (v) => {
        const day = asInt(v);
        return day !== null && (day < 1 || day > 28) ? t('subscriptions.billing_day_range') : null;
      },
    },
  });
  const serverError = useServerError(form, {
    known: (e) => (e.kind === 'conflict' ? { login: t('subscriptions.login_taken') } : {}),
  });
  const create = useMutation({
    mutationFn: (v: typeof form.values) =>
      unwrap(
        api.POST('/api/subscriptions', {
          body: {
            customer_id: v.customer_id ?? '',
            plan_id: v.plan_id,
            login: v.login.trim(),
            password: v.password,
            start_on: v.start_on,
            billing_day: asInt(v.billing_day),
            due_days: asInt(v.due_days),
            grace_days: asInt(v.grace_days),
            router_id: v.router_id || null,
          },
        }),
      ),
    onSuccess: (created) => {
      void invalidate(...BILLING_KEYS);
      void navigate(`/subscriptions/${created.id}`);
    },
  });

  // The only router, or the one a subscription was last put on, instead of "no router".
  const proposedRouter = useMemo(() => proposeRouter(routers.data?.items ?? []), [routers.data]);
  const [routerProposed, setRouterProposed] = useState(false);
  useEffect(() => {
    if (routerProposed || !proposedRouter) return;
    setRouterProposed(true);
    if (!form.values.router_id) form.setFieldValue('router_id', proposedRouter);
  }, [proposedRouter, routerProposed, form]);

  const activePlans = (plans.data?.items ?? []).filter((p) => p.active);
  const startOn = form.getInputProps('start_on');
  const billingDay = form.getInputProps('billing_day');

  return (
    <Stack gap="md" maw={760}>
      <PageHeader title={t('subscriptions.add')} back={{ to: '/subscriptions', label: t('nav.subscriptions') }} />
      <Card withBorder>
        <form onSubmit={serverError.onSubmit((values) => create.mutateAsync(values))} noValidate>
          <Stack gap="sm">
            <CustomerPicker
              autoFocus={!form.values.customer_id}
              label={t('subscriptions.customer')}
              {...form.getInputProps('customer_id')}
              value={form.values.customer_id}
            />
            <NativeSelect
              label={t('subscriptions.plan')}
              {...form.getInputProps('plan_id')}
              data={[
                { value: '', label: t('subscriptions.choose_plan') },
                ...activePlans.map((p) => ({ value: p.id, label: `${p.name} — ${formatRupiah(p.price)}` })),
              ]}
            />
            <NativeSelect
              label={t('routers.sub_router')}
              description={t('routers.sub_router_hint')}
              {...form.getInputProps('router_id')}
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
                {...form.getInputProps('login')}
              />
              <PasswordInput
                label={t('subscriptions.password')}
                autoComplete="new-password"
                {...form.getInputProps('password')}
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                type="date"
                label={t('subscriptions.start_on')}
                {...startOn}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  form.setFieldValue('start_on', v);
                  if (!dayTouched && v) form.setFieldValue('billing_day', dayOf(v));
                }}
              />
              <NumberInput
                label={t('subscriptions.billing_day')}
                description={t('subscriptions.billing_day_hint')}
                min={1}
                max={28}
                allowDecimal={false}
                allowNegative={false}
                {...billingDay}
                onChange={(v) => {
                  setDayTouched(true);
                  form.setFieldValue('billing_day', v);
                }}
              />
              <NumberInput
                label={t('subscriptions.due_days')}
                min={0}
                allowDecimal={false}
                allowNegative={false}
                {...form.getInputProps('due_days')}
              />
              <NumberInput
                label={t('subscriptions.grace_days')}
                min={0}
                allowDecimal={false}
                allowNegative={false}
                {...form.getInputProps('grace_days')}
              />
            </SimpleGrid>
            <FormError error={serverError.error} />
            <Group justify="flex-end">
              <Button type="submit" loading={create.isPending || create.isSuccess}>
                {t('subscriptions.create_submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}

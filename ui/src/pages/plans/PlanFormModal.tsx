import { Alert, Autocomplete, Button, Checkbox, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Plan } from '../../api/types';
import { FormError } from '../../components/FormError';
import { RupiahInput } from '../../components/RupiahInput';
import { useServerError } from '../../lib/formErrors';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { rateFromSpeed } from '../../lib/rates';

interface Props {
  opened: boolean;
  plan?: Plan;
  onClose: () => void;
  onSaved: () => void;
}

const valuesOf = (plan?: Plan) => ({
  name: plan?.name ?? '',
  price: plan?.price ?? (null as number | null),
  kind: plan?.kind ?? ('pppoe' as Plan['kind']),
  router_profile: plan?.router_profile ?? '',
  speed_label: plan?.speed_label ?? '',
  active: plan?.active ?? true,
});

/** "Tambah paket" / "Ubah paket". */
export function PlanFormModal({ opened, plan, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const form = useForm({
    initialValues: valuesOf(plan),
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      price: (v) => (v === null || v <= 0 ? t('plans.price_invalid') : null),
      router_profile: (v) => (v.trim() ? null : t('validation.required')),
    },
  });
  const serverError = useServerError(form);
  const save = useMutation({
    mutationFn: (v: ReturnType<typeof valuesOf>) => {
      const body = {
        name: v.name.trim(),
        price: v.price ?? 0,
        kind: v.kind,
        router_profile: v.router_profile.trim(),
        speed_label: v.speed_label.trim(),
        active: v.active,
      };
      return plan
        ? unwrap(api.PATCH('/api/plans/{id}', { params: { path: { id: plan.id } }, body }))
        : unwrap(api.POST('/api/plans', { body }));
    },
    // Subscriptions show the plan's name and price.
    onSuccess: () => void invalidate(keys.plans.all, keys.subscriptions.all),
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues(valuesOf(plan));
    form.clearErrors();
    serverError.clear();
  }, [opened]);

  return (
    <Modal opened={opened} onClose={onClose} title={plan ? t('plans.edit') : t('plans.add')} centered>
      <form
        onSubmit={serverError.onSubmit(async (values) => {
          await save.mutateAsync(values);
          onSaved();
        })}
        noValidate
      >
        <Stack gap="sm">
          <TextInput data-autofocus label={t('plans.name')} {...form.getInputProps('name')} />
          <RupiahInput label={t('plans.price')} {...form.getInputProps('price')} value={form.values.price} />
          <NativeSelect
            label={t('plans.kind')}
            {...form.getInputProps('kind')}
            data={[
              { value: 'pppoe', label: t('plans.kind_pppoe') },
              { value: 'hotspot', label: t('plans.kind_hotspot') },
            ]}
          />
          <RouterProfileField
            kind={form.values.kind}
            speedLabel={form.values.speed_label}
            inputProps={form.getInputProps('router_profile')}
            value={form.values.router_profile}
          />
          <TextInput
            label={t('plans.speed_label')}
            placeholder="10 Mbps"
            {...form.getInputProps('speed_label')}
          />
          <Checkbox label={t('plans.active')} {...form.getInputProps('active', { type: 'checkbox' })} />
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

/**
 * The plan's router profile, picked from the profiles read from the routers (PPP profiles for
 * PPPoE plans, hotspot user profiles for hotspot plans). A name no router has is flagged, with
 * a button that makes it on a router with the rate limit from the plan's speed.
 */
function RouterProfileField({
  kind,
  speedLabel,
  value,
  inputProps,
}: {
  kind: Plan['kind'];
  speedLabel: string;
  value: string;
  inputProps: ReturnType<ReturnType<typeof useForm>['getInputProps']>;
}) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const profiles = useQuery({
    queryKey: keys.pppoe.profiles(null),
    queryFn: () => unwrap(api.GET('/api/pppoe/profiles', { params: { query: {} } })),
  });
  const routerKind = kind === 'hotspot' ? 'hotspot' : 'ppp';
  const items = (profiles.data?.items ?? []).filter((p) => p.kind === routerKind && p.active);
  const names = [...new Set(items.map((p) => p.name))].sort();
  const routers = [...new Map((profiles.data?.items ?? []).map((p) => [p.router_id, p.router_name])).entries()];
  const name = value.trim();
  const missingOn = routers.filter(([id]) => !items.some((p) => p.router_id === id && p.name === name));
  const rate = rateFromSpeed(speedLabel);
  const make = useMutation({
    mutationFn: (routerId: string) =>
      unwrap(
        api.POST('/api/routers/{id}/profiles', {
          params: { path: { id: routerId } },
          body: { kind: routerKind, name, rate_limit: rate ?? undefined },
        }),
      ),
    onSuccess: () => void invalidate(keys.pppoe.profilesAll(), keys.plans.all),
  });
  return (
    <Stack gap={4}>
      <Autocomplete
        label={t('plans.router_profile')}
        description={routers.length ? t('plans.router_profile_pick') : t('plans.router_profile_hint')}
        data={names}
        {...inputProps}
      />
      {name && routers.length > 0 && missingOn.length > 0 && (
        <Alert color="yellow" variant="light" p="xs" data-testid="profile-missing">
          <Text size="sm">
            {t('plans.profile_missing_on', { name, routers: missingOn.map(([, n]) => n).join(', ') })}
          </Text>
          <Group gap="xs" mt={6}>
            {missingOn.map(([id, routerName]) => (
              <Button
                key={id}
                size="xs"
                variant="light"
                loading={make.isPending && make.variables === id}
                onClick={() => make.mutate(id)}
              >
                {rate
                  ? t('plans.make_profile_rate', { router: routerName, rate })
                  : t('plans.make_profile', { router: routerName })}
              </Button>
            ))}
          </Group>
          <FormError error={make.error} />
        </Alert>
      )}
    </Stack>
  );
}

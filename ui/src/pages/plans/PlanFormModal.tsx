import { Button, Checkbox, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
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
          <TextInput
            label={t('plans.router_profile')}
            description={t('plans.router_profile_hint')}
            {...form.getInputProps('router_profile')}
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

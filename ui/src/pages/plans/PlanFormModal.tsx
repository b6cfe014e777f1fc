import { Button, Checkbox, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { Plan } from '../../api/types';
import { FormError } from '../../components/FormError';
import { RupiahInput } from '../../components/RupiahInput';
import { fieldError } from '../../lib/fieldError';

interface Props {
  opened: boolean;
  plan?: Plan;
  onClose: () => void;
  onSaved: () => void;
}

/** "Tambah paket" / "Ubah paket". */
export function PlanFormModal({ opened, plan, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [price, setPrice] = useState<number | null>(null);
  const [kind, setKind] = useState<Plan['kind']>('pppoe');
  const [profile, setProfile] = useState('');
  const [speed, setSpeed] = useState('');
  const [active, setActive] = useState(true);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setName(plan?.name ?? '');
    setPrice(plan?.price ?? null);
    setKind(plan?.kind ?? 'pppoe');
    setProfile(plan?.router_profile ?? '');
    setSpeed(plan?.speed_label ?? '');
    setActive(plan?.active ?? true);
    setLocal({});
    setError(null);
  }, [opened, plan]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = t('validation.required');
    if (price === null || price <= 0) problems.price = t('plans.price_invalid');
    if (!profile.trim()) problems.router_profile = t('validation.required');
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length > 0 || price === null) return;
    const body = {
      name: name.trim(),
      price,
      kind,
      router_profile: profile.trim(),
      speed_label: speed.trim(),
      active,
    };
    setBusy(true);
    try {
      if (plan) {
        await unwrap(api.PATCH('/api/plans/{id}', { params: { path: { id: plan.id } }, body }));
      } else {
        await unwrap(api.POST('/api/plans', { body }));
      }
      onSaved();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const err = (field: string) => local[field] ?? fieldError(error, field);

  return (
    <Modal opened={opened} onClose={onClose} title={plan ? t('plans.edit') : t('plans.add')} centered>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="sm">
          <TextInput label={t('plans.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={err('name')} />
          <RupiahInput label={t('plans.price')} value={price} onChange={setPrice} error={err('price')} />
          <NativeSelect
            label={t('plans.kind')}
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as Plan['kind'])}
            data={[
              { value: 'pppoe', label: t('plans.kind_pppoe') },
              { value: 'hotspot', label: t('plans.kind_hotspot') },
            ]}
          />
          <TextInput
            label={t('plans.router_profile')}
            description={t('plans.router_profile_hint')}
            value={profile}
            onChange={(e) => setProfile(e.currentTarget.value)}
            error={err('router_profile')}
          />
          <TextInput
            label={t('plans.speed_label')}
            placeholder="10 Mbps"
            value={speed}
            onChange={(e) => setSpeed(e.currentTarget.value)}
            error={err('speed_label')}
          />
          <Checkbox label={t('plans.active')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
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

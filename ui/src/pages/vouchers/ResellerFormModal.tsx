import { Button, Group, Modal, NumberInput, PasswordInput, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { Reseller } from '../../api/types';
import { FormError } from '../../components/FormError';
import { fieldError } from '../../lib/fieldError';
import { PASSWORD_MIN_LENGTH, checkUsername } from '../../lib/validation';
import { percentToBp } from '../../lib/voucherFormat';

interface Props {
  opened: boolean;
  reseller?: Reseller;
  onClose: () => void;
  onSaved: () => void;
}

/** "Tambah reseller" (with their own login) / "Ubah reseller" (incl. blocking the login). */
export function ResellerFormModal({ opened, reseller, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [percent, setPercent] = useState<number | ''>(10);
  const [active, setActive] = useState(true);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setUsername(reseller?.username ?? '');
    setPassword('');
    setName(reseller?.name ?? '');
    setPhone(reseller?.phone ?? '');
    setPercent(reseller ? reseller.commission_bp / 100 : 10);
    setActive(reseller?.active ?? true);
    setLocal({});
    setError(null);
  }, [opened, reseller]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const commission = percentToBp(percent === '' ? null : percent);
    if (!reseller) {
      const u = checkUsername(username.trim());
      if (u) problems.username = t(u);
    }
    if ((!reseller || password) && [...password].length < PASSWORD_MIN_LENGTH) {
      problems.password = password ? t('validation.password_short') : t('validation.required');
    }
    if (!name.trim()) problems.name = t('validation.required');
    if (commission === null) problems.commission_bp = t('vouchers.resellers.commission_invalid');
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length > 0 || commission === null) return;
    setBusy(true);
    try {
      if (reseller) {
        await unwrap(
          api.PATCH('/api/resellers/{id}', {
            params: { path: { id: reseller.id } },
            body: { name: name.trim(), phone: phone.trim(), commission_bp: commission, active, password: password || null },
          }),
        );
      } else {
        await unwrap(
          api.POST('/api/resellers', {
            body: { username: username.trim(), password, name: name.trim(), phone: phone.trim() || null, commission_bp: commission },
          }),
        );
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
    <Modal
      opened={opened}
      onClose={onClose}
      title={reseller ? t('vouchers.resellers.edit') : t('vouchers.resellers.add')}
      centered
      size="lg"
    >
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('vouchers.resellers.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={err('name')} />
            <TextInput
              label={t('vouchers.resellers.phone')}
              placeholder="0812…"
              inputMode="tel"
              value={phone}
              onChange={(e) => setPhone(e.currentTarget.value)}
              error={err('phone')}
            />
            <TextInput
              label={t('vouchers.resellers.username')}
              description={reseller ? undefined : t('vouchers.resellers.username_hint')}
              autoComplete="off"
              autoCapitalize="none"
              disabled={Boolean(reseller)}
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              error={err('username')}
            />
            <PasswordInput
              label={reseller ? t('vouchers.resellers.new_password') : t('vouchers.resellers.password')}
              description={
                reseller ? t('vouchers.resellers.new_password_hint') : t('vouchers.resellers.password_hint', { min: PASSWORD_MIN_LENGTH })
              }
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={err('password')}
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
              value={percent}
              onChange={(v) => setPercent(typeof v === 'number' ? v : '')}
              error={err('commission_bp')}
            />
          </SimpleGrid>
          {reseller && (
            <Switch
              label={t('vouchers.resellers.active')}
              description={t('vouchers.resellers.active_hint')}
              checked={active}
              onChange={(e) => setActive(e.currentTarget.checked)}
            />
          )}
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

import { Button, Group, Modal, NativeSelect, PasswordInput, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { PppoeUser, Router } from '../../api/types';
import { FormError } from '../../components/FormError';
import { fieldError } from '../../lib/fieldError';

export type UserAction = 'isolate' | 'restore' | 'password' | 'assign';

interface Props {
  action: UserAction | null;
  user: PppoeUser | null;
  routers: Router[];
  onClose: () => void;
  onDone: (message: string) => void;
}

/** One dialog per PPPoE action: isolate/restore (reason), change password, put on a router. */
export function UserActionModal({ action, user, routers, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const opened = action !== null && user !== null;

  useEffect(() => {
    if (!opened) return;
    setValue(action === 'assign' ? (user?.router_id ?? routers[0]?.id ?? '') : '');
    setLocal(null);
    setError(null);
  }, [opened, action, user, routers]);

  if (!user || !action) return <Modal opened={false} onClose={onClose} />;
  const login = user.login;
  const path = { params: { path: { id: user.subscription_id } } };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!value.trim()) {
      setLocal(t('validation.required'));
      return;
    }
    setLocal(null);
    setError(null);
    setBusy(true);
    try {
      if (action === 'isolate' || action === 'restore') {
        const url = action === 'isolate' ? '/api/pppoe/users/{id}/isolate' : '/api/pppoe/users/{id}/restore';
        await unwrap(api.POST(url, { ...path, body: { reason: value.trim() } }));
        onDone(t(action === 'isolate' ? 'pppoe.isolated' : 'pppoe.restored', { login }));
      } else if (action === 'password') {
        await unwrap(api.PUT('/api/pppoe/users/{id}/password', { ...path, body: { password: value } }));
        onDone(t('pppoe.password_changed', { login }));
      } else {
        await unwrap(api.POST('/api/pppoe/users', { body: { subscription_id: user.subscription_id, router_id: value } }));
        onDone(t('pppoe.assigned', { login, router: routers.find((r) => r.id === value)?.name ?? '' }));
      }
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  let title: string;
  let intro: ReactNode = null;
  let field: ReactNode;
  let submitLabel: string;
  const err = local ?? fieldError(error, action === 'password' ? 'password' : action === 'assign' ? 'router_id' : 'reason');
  if (action === 'isolate' || action === 'restore') {
    title = t(action === 'isolate' ? 'pppoe.isolate_title' : 'pppoe.restore_title', { login });
    intro = t(action === 'isolate' ? 'pppoe.isolate_text' : 'pppoe.restore_text');
    submitLabel = t(action === 'isolate' ? 'pppoe.isolate' : 'pppoe.restore');
    field = (
      <Textarea
        label={t('pppoe.reason')}
        description={t('pppoe.reason_hint')}
        autosize
        minRows={2}
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
        error={err}
        data-autofocus
      />
    );
  } else if (action === 'password') {
    title = t('pppoe.password_title', { login });
    submitLabel = t('common.save');
    field = (
      <PasswordInput
        label={t('pppoe.new_password')}
        autoComplete="new-password"
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
        error={err}
        data-autofocus
      />
    );
  } else {
    title = t('pppoe.assign_title', { login });
    intro = t('pppoe.assign_hint');
    submitLabel = t('pppoe.assign');
    field = (
      <NativeSelect
        label={t('pppoe.router')}
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
        error={err}
        data={[{ value: '', label: t('pppoe.choose_router') }, ...routers.map((r) => ({ value: r.id, label: r.name }))]}
      />
    );
  }

  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          {intro && <Text size="sm">{intro}</Text>}
          {field}
          <FormError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} color={action === 'isolate' ? 'orange' : undefined}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

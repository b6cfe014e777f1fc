import { Button, Group, Modal, NativeSelect, PasswordInput, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { PppoeUser, Router } from '../../api/types';
import { FormError } from '../../components/FormError';
import { useServerError } from '../../lib/formErrors';

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
  const opened = action !== null && user !== null;
  const form = useForm({
    initialValues: { value: '' },
    validate: { value: (v) => (v.trim() ? null : t('validation.required')) },
  });
  // The one input stands for the action's field on the server.
  const serverField = action === 'password' ? 'password' : action === 'assign' ? 'router_id' : 'reason';
  const serverError = useServerError(form, { fields: { [serverField]: 'value' } });
  const run = useMutation({
    mutationFn: async ({ act, target, value }: { act: UserAction; target: PppoeUser; value: string }) => {
      const login = target.login;
      const path = { params: { path: { id: target.subscription_id } } };
      if (act === 'isolate' || act === 'restore') {
        const url = act === 'isolate' ? '/api/pppoe/users/{id}/isolate' : '/api/pppoe/users/{id}/restore';
        await unwrap(api.POST(url, { ...path, body: { reason: value.trim() } }));
        return t(act === 'isolate' ? 'pppoe.isolated' : 'pppoe.restored', { login });
      }
      if (act === 'password') {
        await unwrap(api.PUT('/api/pppoe/users/{id}/password', { ...path, body: { password: value } }));
        return t('pppoe.password_changed', { login });
      }
      await unwrap(api.POST('/api/pppoe/users', { body: { subscription_id: target.subscription_id, router_id: value } }));
      return t('pppoe.assigned', { login, router: routers.find((r) => r.id === value)?.name ?? '' });
    },
    onSuccess: (message) => onDone(message),
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues({ value: action === 'assign' ? (user?.router_id ?? routers[0]?.id ?? '') : '' });
    form.clearErrors();
    serverError.clear();
  }, [opened, action, user]);

  if (!user || !action) return <Modal opened={false} onClose={onClose} />;
  const login = user.login;
  const submit = serverError.onSubmit((values) => run.mutateAsync({ act: action, target: user, value: values.value }));

  let title: string;
  let intro: ReactNode = null;
  let field: ReactNode;
  let submitLabel: string;
  const input = form.getInputProps('value');
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
        {...input}
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
        {...input}
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
        {...input}
        data={[{ value: '', label: t('pppoe.choose_router') }, ...routers.map((r) => ({ value: r.id, label: r.name }))]}
      />
    );
  }

  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {intro && <Text size="sm">{intro}</Text>}
          {field}
          <FormError error={serverError.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={run.isPending} color={action === 'isolate' ? 'orange' : undefined}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

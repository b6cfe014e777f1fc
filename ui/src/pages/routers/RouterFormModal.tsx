import { Button, Group, Modal, NumberInput, PasswordInput, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { ConnectionReport, Router, RouterBody, RouterTestBody } from '../../api/types';
import { FormError } from '../../components/FormError';
import { useServerError } from '../../lib/formErrors';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { ConnectionResult } from './ConnectionTest';

interface Props {
  opened: boolean;
  router?: Router;
  onClose: () => void;
  onSaved: (router: Router) => void;
}

const DEFAULT_PORT = 8728;
const TLS_PORT = 8729;

const valuesOf = (router?: Router) => ({
  name: router?.name ?? '',
  host: router?.host ?? '',
  port: (router?.port ?? DEFAULT_PORT) as string | number,
  tls: router?.tls ?? false,
  api_user: router?.api_user ?? 'admin',
  password: '',
  isolation_profile: router?.isolation_profile ?? 'isolir',
  isolation_rate_limit: router?.isolation_rate_limit ?? '256k/256k',
  isolation_address_list: router?.isolation_address_list ?? 'isolir',
});

/** "Tambah router" / "Ubah router". The password is write-only (kept in the OS keyring). */
export function RouterFormModal({ opened, router, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const required = t('validation.required');
  const form = useForm({
    initialValues: valuesOf(router),
    validate: {
      name: (v) => (v.trim() ? null : required),
      host: (v) => (v.trim() ? null : required),
      api_user: (v) => (v.trim() ? null : required),
      port: (v) => {
        const port = typeof v === 'number' ? v : Number(v);
        return Number.isInteger(port) && port >= 1 && port <= 65535 ? null : required;
      },
    },
  });
  const serverError = useServerError(form);
  const [report, setReport] = useState<ConnectionReport | null>(null);
  // "Tes koneksi" before saving: the typed address, user and password; nothing is stored.
  const tryConnection = useMutation({
    mutationFn: (v: ReturnType<typeof valuesOf>) => {
      const body: RouterTestBody = {
        host: v.host.trim(),
        port: Number(v.port),
        tls: v.tls,
        api_user: v.api_user.trim(),
        router_id: router?.id ?? null,
      };
      // Editing with the password left empty tests the stored one.
      if (v.password || !router) body.password = v.password;
      return unwrap(api.POST('/api/routers/test', { body }));
    },
    onMutate: () => setReport(null),
    onSuccess: (result) => setReport(result),
  });
  const runTest = () => {
    const invalid = (['host', 'port', 'api_user'] as const).map((f) => form.validateField(f).hasError).some(Boolean);
    if (!invalid) tryConnection.mutate(form.values);
  };
  const save = useMutation({
    mutationFn: (v: ReturnType<typeof valuesOf>) => {
      const body: RouterBody = {
        name: v.name.trim(),
        host: v.host.trim(),
        port: Number(v.port),
        tls: v.tls,
        api_user: v.api_user.trim(),
        isolation_profile: v.isolation_profile.trim() || null,
        isolation_rate_limit: v.isolation_rate_limit.trim() || null,
        isolation_address_list: v.isolation_address_list.trim() || null,
      };
      // Empty on edit keeps the stored password; empty on add means "no password".
      if (v.password || !router) body.password = v.password;
      return router
        ? unwrap(api.PATCH('/api/routers/{id}', { params: { path: { id: router.id } }, body }))
        : unwrap(api.POST('/api/routers', { body }));
    },
    onSuccess: () => void invalidate(...keys.routers.status()),
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues(valuesOf(router));
    form.clearErrors();
    serverError.clear();
    setReport(null);
    tryConnection.reset();
  }, [opened]);

  const onTls = (on: boolean) => {
    const port = Number(form.values.port);
    form.setFieldValue('tls', on);
    // Follow the usual port unless the user typed another one.
    if (on && port === DEFAULT_PORT) form.setFieldValue('port', TLS_PORT);
    if (!on && port === TLS_PORT) form.setFieldValue('port', DEFAULT_PORT);
  };

  return (
    <Modal opened={opened} onClose={onClose} title={router ? t('routers.edit') : t('routers.add')} centered size="lg">
      <form onSubmit={serverError.onSubmit(async (values) => onSaved(await save.mutateAsync(values)))} noValidate>
        <Stack gap="sm">
          <TextInput data-autofocus label={t('routers.name')} {...form.getInputProps('name')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('routers.host')}
              placeholder="192.168.88.1"
              {...form.getInputProps('host')}
            />
            <NumberInput
              label={t('routers.port')}
              description={t('routers.port_hint')}
              min={1}
              max={65535}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator={false}
              {...form.getInputProps('port')}
            />
          </SimpleGrid>
          <Switch label={t('routers.tls')} checked={form.values.tls} onChange={(e) => onTls(e.currentTarget.checked)} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('routers.api_user')}
              autoComplete="off"
              {...form.getInputProps('api_user')}
            />
            <PasswordInput
              label={t('routers.password')}
              description={router ? t('routers.password_keep_hint') : t('routers.password_hint')}
              autoComplete="new-password"
              {...form.getInputProps('password')}
            />
          </SimpleGrid>
          <Text size="sm" fw={500} mt="xs">
            {t('routers.isolation')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('routers.isolation_profile')}
              description={t('routers.isolation_hint')}
              {...form.getInputProps('isolation_profile')}
            />
            <TextInput
              label={t('routers.isolation_rate_limit')}
              {...form.getInputProps('isolation_rate_limit')}
            />
            <TextInput
              label={t('routers.isolation_address_list')}
              {...form.getInputProps('isolation_address_list')}
            />
          </SimpleGrid>
          {report && (
            <>
              <ConnectionResult report={report} />
              {(report.problem === 'certificate_untrusted' || report.problem === 'certificate_changed') && (
                <Text size="sm" c="dimmed">
                  {t('routers.certificate_after_save')}
                </Text>
              )}
            </>
          )}
          <FormError error={tryConnection.error} />
          <FormError error={serverError.error} />
          <Group justify="space-between">
            <Button variant="light" loading={tryConnection.isPending} onClick={runTest} data-testid="router-form-test">
              {t('routers.test')}
            </Button>
            <Group gap="xs">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={save.isPending}>
                {t('common.save')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

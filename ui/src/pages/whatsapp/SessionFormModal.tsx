import { Button, Group, Modal, NativeSelect, NumberInput, PasswordInput, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { FormErrors } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { WaSession, WaSessionInput } from '../../api/types';
import { FormError } from '../../components/FormError';
import { useServerError } from '../../lib/formErrors';
import { PROVIDERS, PROVIDER_SPECS, isProvider, settingValues, settingsFor } from './providerFields';
import type { Provider } from './providerFields';

interface Props {
  opened: boolean;
  session?: WaSession;
  /** Used as the position of a new session. */
  count: number;
  onClose: () => void;
  onSaved: () => void;
}

const valuesOf = (session: WaSession | undefined, count: number) => {
  const provider: Provider = session && isProvider(session.provider) ? session.provider : 'fonnte';
  return {
    name: session?.name ?? '',
    provider,
    role: session?.role ?? (count === 0 ? 'primary' : 'backup'),
    position: (session?.position ?? count) as string | number,
    base_url: session?.base_url ?? PROVIDER_SPECS[provider].baseUrl,
    /** The provider's own options, by their key. */
    settings: session ? settingValues(session.settings) : initialValues(provider),
    enabled: session?.enabled ?? true,
    per_minute: (session?.per_minute ?? 20) as string | number,
    token: '',
    secret: '',
  };
};

/** "Tambah sesi" / "Ubah sesi": fields follow the provider; token and secret are write-only. */
export function SessionFormModal({ opened, session, count, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const form = useForm({
    initialValues: valuesOf(session, count),
    validate: (v) => {
      const spec = PROVIDER_SPECS[v.provider];
      const required = t('validation.required');
      const problems: FormErrors = {};
      if (!v.name.trim()) problems.name = required;
      if (!v.base_url.trim()) problems.base_url = required;
      for (const field of spec.settings) if (field.required && !v.settings[field.key]?.trim()) problems[`settings.${field.key}`] = required;
      // A new session needs its credentials (WAHA may run without an API key).
      if (!session && spec.token && v.provider !== 'waha' && !v.token.trim()) problems.token = required;
      if (!session && spec.secret && !v.secret.trim()) problems.secret = required;
      return problems;
    },
  });
  const { provider, base_url: baseUrl, settings: values } = form.values;
  const spec = PROVIDER_SPECS[provider];
  // The server names a provider option by its key.
  const serverError = useServerError(form, { fields: Object.fromEntries(spec.settings.map((f) => [f.key, `settings.${f.key}`])) });
  const save = useMutation({
    mutationFn: (v: ReturnType<typeof valuesOf>) => {
      const body: WaSessionInput = {
        name: v.name.trim(),
        provider: v.provider,
        role: v.role,
        position: Number(v.position) || 0,
        base_url: v.base_url.trim(),
        // The document types `settings` as an empty object; it holds the provider's options.
        settings: settingsFor(v.provider, v.settings) as unknown as WaSessionInput['settings'],
        enabled: v.enabled,
        per_minute: Number(v.per_minute) || 20,
        token: v.token.trim() || null,
        secret: PROVIDER_SPECS[v.provider].secret ? v.secret.trim() || null : null,
      };
      return session
        ? unwrap(api.PUT('/api/whatsapp/sessions/{id}', { params: { path: { id: session.id } }, body }))
        : unwrap(api.POST('/api/whatsapp/sessions', { body }));
    },
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues(valuesOf(session, count));
    form.clearErrors();
    serverError.clear();
  }, [opened]);

  const onProvider = (next: Provider) => {
    // Follow the provider's usual address unless the user typed another one.
    form.setValues({
      provider: next,
      base_url: !baseUrl.trim() || baseUrl === spec.baseUrl ? PROVIDER_SPECS[next].baseUrl : baseUrl,
      settings: { ...initialValues(next), ...values },
    });
  };

  const secretHint = session ? t('whatsapp.sessions.secret_keep_hint') : t('whatsapp.sessions.secret_hint');

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={session ? t('whatsapp.sessions.edit_title') : t('whatsapp.sessions.add')}
      size="lg"
      centered
    >
      <form
        onSubmit={serverError.onSubmit(async (v) => {
          await save.mutateAsync(v);
          onSaved();
        })}
        noValidate
      >
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('whatsapp.sessions.name')}
              {...form.getInputProps('name')}
              data-autofocus
            />
            <NativeSelect
              label={t('whatsapp.sessions.provider')}
              {...form.getInputProps('provider')}
              onChange={(e) => onProvider(e.currentTarget.value as Provider)}
              data={PROVIDERS.map((p) => ({ value: p, label: t(`whatsapp.sessions.providers.${p}`) }))}
            />
          </SimpleGrid>
          <TextInput
            label={t('whatsapp.sessions.base_url')}
            description={t(`whatsapp.sessions.hint.${provider}`)}
            {...form.getInputProps('base_url')}
          />
          {spec.settings.length > 0 && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {spec.settings.map((field) => (
                <TextInput
                  key={field.key}
                  label={t(`whatsapp.sessions.f.${field.label}`)}
                  {...form.getInputProps(`settings.${field.key}`)}
                  value={values[field.key] ?? ''}
                />
              ))}
            </SimpleGrid>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {spec.token && (
              <PasswordInput
                label={t(`whatsapp.sessions.f.${spec.token}`)}
                description={secretHint}
                autoComplete="new-password"
                {...form.getInputProps('token')}
              />
            )}
            {spec.secret && (
              <PasswordInput
                label={t(`whatsapp.sessions.f.${spec.secret}`)}
                description={secretHint}
                autoComplete="new-password"
                {...form.getInputProps('secret')}
              />
            )}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NativeSelect
              label={t('whatsapp.sessions.role')}
              {...form.getInputProps('role')}
              data={[
                { value: 'primary', label: t('whatsapp.sessions.role_primary') },
                { value: 'backup', label: t('whatsapp.sessions.role_backup') },
              ]}
            />
            <NumberInput
              label={t('whatsapp.sessions.position')}
              description={t('whatsapp.sessions.position_hint')}
              min={0}
              allowDecimal={false}
              allowNegative={false}
              {...form.getInputProps('position')}
            />
            <NumberInput
              label={t('whatsapp.sessions.per_minute')}
              description={t('whatsapp.sessions.per_minute_hint')}
              min={1}
              max={60000}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator={false}
              {...form.getInputProps('per_minute')}
            />
          </SimpleGrid>
          <Switch label={t('whatsapp.sessions.enabled')} {...form.getInputProps('enabled', { type: 'checkbox' })} />
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

function initialValues(provider: Provider): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of PROVIDER_SPECS[provider].settings) if (field.initial) out[field.key] = field.initial;
  return out;
}

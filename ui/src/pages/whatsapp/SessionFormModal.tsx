import { Button, Group, Modal, NativeSelect, NumberInput, PasswordInput, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { WaSession, WaSessionInput } from '../../api/types';
import { FormError } from '../../components/FormError';
import { fieldError } from '../../lib/fieldError';
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

/** "Tambah sesi" / "Ubah sesi": fields follow the provider; token and secret are write-only. */
export function SessionFormModal({ opened, session, count, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [provider, setProvider] = useState<Provider>('fonnte');
  const [role, setRole] = useState('primary');
  const [position, setPosition] = useState<string | number>(0);
  const [baseUrl, setBaseUrl] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [enabled, setEnabled] = useState(true);
  const [perMinute, setPerMinute] = useState<string | number>(20);
  const [token, setToken] = useState('');
  const [secret, setSecret] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    const p = session && isProvider(session.provider) ? session.provider : 'fonnte';
    setName(session?.name ?? '');
    setProvider(p);
    setRole(session?.role ?? (count === 0 ? 'primary' : 'backup'));
    setPosition(session?.position ?? count);
    setBaseUrl(session?.base_url ?? PROVIDER_SPECS[p].baseUrl);
    setValues(session ? settingValues(session.settings) : initialValues(p));
    setEnabled(session?.enabled ?? true);
    setPerMinute(session?.per_minute ?? 20);
    setToken('');
    setSecret('');
    setLocal({});
    setError(null);
  }, [opened, session, count]);

  const spec = PROVIDER_SPECS[provider];

  const onProvider = (next: Provider) => {
    // Follow the provider's usual address unless the user typed another one.
    if (!baseUrl.trim() || baseUrl === spec.baseUrl) setBaseUrl(PROVIDER_SPECS[next].baseUrl);
    setValues({ ...initialValues(next), ...values });
    setProvider(next);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const required = t('validation.required');
    if (!name.trim()) problems.name = required;
    if (!baseUrl.trim()) problems.base_url = required;
    for (const field of spec.settings) if (field.required && !values[field.key]?.trim()) problems[field.key] = required;
    // A new session needs its credentials (WAHA may run without an API key).
    if (!session && spec.token && provider !== 'waha' && !token.trim()) problems.token = required;
    if (!session && spec.secret && !secret.trim()) problems.secret = required;
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length > 0) return;
    const body: WaSessionInput = {
      name: name.trim(),
      provider,
      role,
      position: Number(position) || 0,
      base_url: baseUrl.trim(),
      // The document types `settings` as an empty object; it holds the provider's options.
      settings: settingsFor(provider, values) as unknown as WaSessionInput['settings'],
      enabled,
      per_minute: Number(perMinute) || 20,
      token: token.trim() || null,
      secret: spec.secret ? secret.trim() || null : null,
    };
    setBusy(true);
    try {
      if (session) {
        await unwrap(api.PUT('/api/whatsapp/sessions/{id}', { params: { path: { id: session.id } }, body }));
      } else {
        await unwrap(api.POST('/api/whatsapp/sessions', { body }));
      }
      onSaved();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const err = (field: string) => local[field] ?? fieldError(error, field);
  const secretHint = session ? t('whatsapp.sessions.secret_keep_hint') : t('whatsapp.sessions.secret_hint');

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={session ? t('whatsapp.sessions.edit_title') : t('whatsapp.sessions.add')}
      size="lg"
      centered
    >
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('whatsapp.sessions.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={err('name')}
              data-autofocus
            />
            <NativeSelect
              label={t('whatsapp.sessions.provider')}
              value={provider}
              onChange={(e) => onProvider(e.currentTarget.value as Provider)}
              data={PROVIDERS.map((p) => ({ value: p, label: t(`whatsapp.sessions.providers.${p}`) }))}
              error={err('provider')}
            />
          </SimpleGrid>
          <TextInput
            label={t('whatsapp.sessions.base_url')}
            description={t(`whatsapp.sessions.hint.${provider}`)}
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.currentTarget.value)}
            error={err('base_url')}
          />
          {spec.settings.length > 0 && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {spec.settings.map((field) => (
                <TextInput
                  key={field.key}
                  label={t(`whatsapp.sessions.f.${field.label}`)}
                  value={values[field.key] ?? ''}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    setValues((v) => ({ ...v, [field.key]: value }));
                  }}
                  error={err(field.key)}
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
                value={token}
                onChange={(e) => setToken(e.currentTarget.value)}
                error={err('token')}
              />
            )}
            {spec.secret && (
              <PasswordInput
                label={t(`whatsapp.sessions.f.${spec.secret}`)}
                description={secretHint}
                autoComplete="new-password"
                value={secret}
                onChange={(e) => setSecret(e.currentTarget.value)}
                error={err('secret')}
              />
            )}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NativeSelect
              label={t('whatsapp.sessions.role')}
              value={role}
              onChange={(e) => setRole(e.currentTarget.value)}
              data={[
                { value: 'primary', label: t('whatsapp.sessions.role_primary') },
                { value: 'backup', label: t('whatsapp.sessions.role_backup') },
              ]}
              error={err('role')}
            />
            <NumberInput
              label={t('whatsapp.sessions.position')}
              description={t('whatsapp.sessions.position_hint')}
              min={0}
              allowDecimal={false}
              allowNegative={false}
              value={position}
              onChange={setPosition}
              error={err('position')}
            />
            <NumberInput
              label={t('whatsapp.sessions.per_minute')}
              description={t('whatsapp.sessions.per_minute_hint')}
              min={1}
              max={60000}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator={false}
              value={perMinute}
              onChange={setPerMinute}
              error={err('per_minute')}
            />
          </SimpleGrid>
          <Switch label={t('whatsapp.sessions.enabled')} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
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

function initialValues(provider: Provider): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of PROVIDER_SPECS[provider].settings) if (field.initial) out[field.key] = field.initial;
  return out;
}

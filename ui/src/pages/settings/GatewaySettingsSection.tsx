import {
  Accordion,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  NativeSelect,
  PasswordInput,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { GatewaySettings, GatewaySettingsInput } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { fieldError } from '../../lib/fieldError';
import { useApi } from '../../lib/useApi';
import { gatewayFields } from './gatewayFields';
import { WebhookUrlField } from './WebhookUrlField';

/** Pembayaran online: one card per payment gateway the server knows (Duitku, Tripay, Midtrans, Xendit). */
export function GatewaySettingsSection() {
  const { t } = useTranslation();
  const list = useApi(() => unwrap(api.GET('/api/settings/gateways')), []);
  // The webhook URLs are built from the public address; without it the cards say so.
  const publicUrl = useApi(() => unwrap(api.GET('/api/settings/public-url')), []);
  const publicBase = publicUrl.data ? (publicUrl.data.public_base_url ?? '') : undefined;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('gateways.intro')}
      </Text>
      <LoadState state={list}>
        {(data) =>
          data.items.length === 0 ? (
            <Text c="dimmed">{t('gateways.none')}</Text>
          ) : (
            data.items.map((g) => <GatewayCard key={g.gateway} initial={g} publicBase={publicBase} />)
          )
        }
      </LoadState>
    </Stack>
  );
}

/** The gateway's display name, e.g. duitku → "Duitku". */
export function gatewayName(code: string, t: TFunction): string {
  return t(`payments.method_${code}` as 'payments.method_duitku', { defaultValue: code });
}

interface CardProps {
  initial: GatewaySettings;
  publicBase: string | undefined;
}

function GatewayCard({ initial, publicBase }: CardProps) {
  const { t } = useTranslation();
  const fields = gatewayFields(initial.gateway);
  const [saved, setSaved] = useState(initial);
  const [enabled, setEnabled] = useState(initial.enabled);
  const [environment, setEnvironment] = useState(initial.environment || 'sandbox');
  const [merchant, setMerchant] = useState(initial.merchant_code);
  const [apiKey, setApiKey] = useState('');
  const [secondaryKey, setSecondaryKey] = useState('');
  const [baseUrl, setBaseUrl] = useState(initial.base_url ?? '');
  const [showFee, setShowFee] = useState(initial.show_fee);
  const [advanced, setAdvanced] = useState<string | null>(initial.base_url ? 'advanced' : null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const name = gatewayName(initial.gateway, t);
  const envChanged = environment !== saved.environment;
  const apiKeyLabel = t(fields.apiKey);
  const secondaryLabel = fields.secondaryKey ? t(fields.secondaryKey) : '';

  /** After a refused save the keyring may hold a key that was sent along: show what is stored. */
  const refreshKeys = async () => {
    try {
      const list = await unwrap(api.GET('/api/settings/gateways'));
      const fresh = list.items.find((g) => g.gateway === initial.gateway);
      if (!fresh) return;
      setSaved((s) => ({ ...s, has_api_key: fresh.has_api_key, has_secondary_key: fresh.has_secondary_key }));
      if (fresh.has_api_key) setApiKey('');
      if (fresh.has_secondary_key) setSecondaryKey('');
    } catch {
      // the error of the save itself is already shown
    }
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    // Whether the keys are present is decided by the server (the keyring is the source of truth).
    const problems: Record<string, string> = {};
    if (enabled && fields.merchantCode && !merchant.trim()) problems.merchant_code = t('validation.required');
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const body: GatewaySettingsInput = {
        enabled,
        environment,
        merchant_code: merchant.trim(),
        base_url: baseUrl.trim() || null,
        show_fee: showFee,
      };
      if (apiKey.trim()) body.api_key = apiKey.trim();
      if (fields.secondaryKey && secondaryKey.trim()) body.secondary_key = secondaryKey.trim();
      const result = await unwrap(
        api.PUT('/api/settings/gateways/{code}', { params: { path: { code: initial.gateway } }, body }),
      );
      setSaved(result);
      setEnabled(result.enabled);
      setApiKey('');
      setSecondaryKey('');
      notifications.show({ color: 'green', message: t('gateways.saved', { name }) });
    } catch (e) {
      const failure = asApiError(e);
      setError(failure);
      if (failure.field === 'api_key' || failure.field === 'secondary_key') void refreshKeys();
    } finally {
      setBusy(false);
    }
  };

  const known = {
    merchant_code: t('validation.required'),
    api_key: t('gateways.key_required', { label: apiKeyLabel, name }),
    secondary_key: t('gateways.key_required', { label: secondaryLabel, name }),
  };
  const err = (field: string) => local[field] || fieldError(error, field, known);
  const keyHint = (stored: boolean, label: string) =>
    stored ? t('gateways.api_key_hint') : t('gateways.key_missing', { label });

  return (
    <Card withBorder data-testid={`gateway-${initial.gateway}`}>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={3} size="h4">
              {name}
            </Title>
            <Badge color={saved.enabled ? 'green' : 'gray'} variant="light" data-testid="gateway-state">
              {saved.enabled ? t('gateways.on') : t('gateways.off')}
            </Badge>
          </Group>
          <Switch
            label={t('gateways.enabled', { name })}
            checked={enabled}
            onChange={(e) => setEnabled(e.currentTarget.checked)}
          />
          <NativeSelect
            label={t('gateways.environment')}
            value={environment}
            onChange={(e) => setEnvironment(e.currentTarget.value)}
            error={err('environment')}
            data={[
              { value: 'sandbox', label: t('gateways.env_sandbox') },
              { value: 'production', label: t('gateways.env_production') },
            ]}
            w={320}
          />
          <Alert color={envChanged ? 'orange' : 'yellow'} variant="light" title={t('gateways.env_warning_title')}>
            {t('gateways.env_warning')}
          </Alert>
          {(fields.merchantCode || err('merchant_code')) && (
            <TextInput
              label={t('gateways.merchant_code')}
              value={merchant}
              onChange={(e) => setMerchant(e.currentTarget.value)}
              error={err('merchant_code')}
              autoComplete="off"
            />
          )}
          <PasswordInput
            label={apiKeyLabel}
            description={keyHint(saved.has_api_key, apiKeyLabel)}
            placeholder={saved.has_api_key ? t('gateways.api_key_stored') : undefined}
            value={apiKey}
            onChange={(e) => setApiKey(e.currentTarget.value)}
            error={err('api_key')}
            autoComplete="new-password"
          />
          {fields.secondaryKey && (
            <PasswordInput
              label={secondaryLabel}
              description={keyHint(saved.has_secondary_key, secondaryLabel)}
              placeholder={saved.has_secondary_key ? t('gateways.api_key_stored') : undefined}
              value={secondaryKey}
              onChange={(e) => setSecondaryKey(e.currentTarget.value)}
              error={err('secondary_key')}
              autoComplete="new-password"
            />
          )}
          <WebhookUrlField code={initial.gateway} name={name} publicBase={publicBase} />
          <Switch label={t('gateways.show_fee')} checked={showFee} onChange={(e) => setShowFee(e.currentTarget.checked)} />
          <Accordion variant="contained" value={err('base_url') ? 'advanced' : advanced} onChange={setAdvanced}>
            <Accordion.Item value="advanced">
              <Accordion.Control>{t('gateways.advanced')}</Accordion.Control>
              <Accordion.Panel>
                <TextInput
                  label={t('gateways.base_url')}
                  description={t('gateways.base_url_hint')}
                  placeholder="https://…"
                  value={baseUrl}
                  onChange={(e) => setBaseUrl(e.currentTarget.value)}
                  error={err('base_url')}
                />
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>
          <FormError error={error} />
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

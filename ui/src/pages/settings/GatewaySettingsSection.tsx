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
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { GatewaySettings, GatewaySettingsInput } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { fieldError } from '../../lib/fieldError';
import { useApi } from '../../lib/useApi';

/** Pembayaran online: one card per payment gateway the server knows (today Duitku). */
export function GatewaySettingsSection() {
  const { t } = useTranslation();
  const list = useApi(() => unwrap(api.GET('/api/settings/gateways')), []);
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
            data.items.map((g) => <GatewayCard key={g.gateway} initial={g} />)
          )
        }
      </LoadState>
    </Stack>
  );
}

/** The gateway's display name, e.g. duitku → "Duitku". */
export function gatewayName(code: string, t: ReturnType<typeof useTranslation>['t']): string {
  return t(`payments.method_${code}` as 'payments.method_duitku', { defaultValue: code });
}

function GatewayCard({ initial }: { initial: GatewaySettings }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(initial);
  const [enabled, setEnabled] = useState(initial.enabled);
  const [environment, setEnvironment] = useState(initial.environment || 'sandbox');
  const [merchant, setMerchant] = useState(initial.merchant_code);
  const [apiKey, setApiKey] = useState('');
  const [baseUrl, setBaseUrl] = useState(initial.base_url ?? '');
  const [showFee, setShowFee] = useState(initial.show_fee);
  const [advanced, setAdvanced] = useState<string | null>(initial.base_url ? 'advanced' : null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const name = gatewayName(initial.gateway, t);
  const envChanged = environment !== saved.environment;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (enabled && !merchant.trim()) problems.merchant_code = t('validation.required');
    if (enabled && !saved.has_api_key && !apiKey.trim()) problems.api_key = t('validation.required');
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
      const result = await unwrap(
        api.PUT('/api/settings/gateways/{code}', { params: { path: { code: initial.gateway } }, body }),
      );
      setSaved(result);
      setEnabled(result.enabled);
      setApiKey('');
      notifications.show({ color: 'green', message: t('gateways.saved', { name }) });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const err = (field: string) => local[field] || fieldError(error, field);

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
          <TextInput
            label={t('gateways.merchant_code')}
            value={merchant}
            onChange={(e) => setMerchant(e.currentTarget.value)}
            error={err('merchant_code')}
            autoComplete="off"
          />
          <PasswordInput
            label={t('gateways.api_key')}
            description={saved.has_api_key ? t('gateways.api_key_hint') : t('gateways.api_key_missing')}
            placeholder={saved.has_api_key ? t('gateways.api_key_stored') : undefined}
            value={apiKey}
            onChange={(e) => setApiKey(e.currentTarget.value)}
            error={err('api_key')}
            autoComplete="new-password"
          />
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

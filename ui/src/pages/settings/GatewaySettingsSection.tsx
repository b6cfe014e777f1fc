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
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { publicUrlQuery } from '../../api/queries';
import type { GatewaySettings, GatewaySettingsInput } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { useServerError } from '../../lib/formErrors';
import { keys } from '../../lib/queryKeys';
import { gatewayFields } from './gatewayFields';
import { WebhookUrlField } from './WebhookUrlField';

/** Pembayaran online: one card per payment gateway the server knows (Duitku, Tripay, Midtrans, Xendit). */
export function GatewaySettingsSection() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: keys.settings.gateways(), queryFn: () => unwrap(api.GET('/api/settings/gateways')) });
  // The webhook URLs are built from the public address; without it the cards say so.
  const publicUrl = useQuery(publicUrlQuery());
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
  const [advanced, setAdvanced] = useState<string | null>(initial.base_url ? 'advanced' : null);
  const name = gatewayName(initial.gateway, t);
  const apiKeyLabel = t(fields.apiKey);
  const secondaryLabel = fields.secondaryKey ? t(fields.secondaryKey) : '';
  const form = useForm({
    initialValues: {
      enabled: initial.enabled,
      environment: initial.environment || 'sandbox',
      merchant_code: initial.merchant_code,
      api_key: '',
      secondary_key: '',
      base_url: initial.base_url ?? '',
      show_fee: initial.show_fee,
    },
    // Whether the keys are present is decided by the server (the keyring is the source of truth).
    validate: {
      merchant_code: (v, values) => (values.enabled && fields.merchantCode && !v.trim() ? t('validation.required') : null),
    },
  });
  const serverError = useServerError(form, {
    known: {
      merchant_code: t('validation.required'),
      api_key: t('gateways.key_required', { label: apiKeyLabel, name }),
      secondary_key: t('gateways.key_required', { label: secondaryLabel, name }),
    },
  });
  const envChanged = form.values.environment !== saved.environment;

  /** After a refused save the keyring may hold a key that was sent along: show what is stored. */
  const refreshKeys = async () => {
    try {
      const list = await unwrap(api.GET('/api/settings/gateways'));
      const fresh = list.items.find((g) => g.gateway === initial.gateway);
      if (!fresh) return;
      setSaved((s) => ({ ...s, has_api_key: fresh.has_api_key, has_secondary_key: fresh.has_secondary_key }));
      if (fresh.has_api_key) form.setFieldValue('api_key', '');
      if (fresh.has_secondary_key) form.setFieldValue('secondary_key', '');
    } catch {
      // the error of the save itself is already shown
    }
  };

  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const body: GatewaySettingsInput = {
        enabled: v.enabled,
        environment: v.environment,
        merchant_code: v.merchant_code.trim(),
        base_url: v.base_url.trim() || null,
        show_fee: v.show_fee,
      };
      if (v.api_key.trim()) body.api_key = v.api_key.trim();
      if (fields.secondaryKey && v.secondary_key.trim()) body.secondary_key = v.secondary_key.trim();
      return unwrap(api.PUT('/api/settings/gateways/{code}', { params: { path: { code: initial.gateway } }, body }));
    },
    onSuccess: (result) => {
      setSaved(result);
      form.setValues({ enabled: result.enabled, api_key: '', secondary_key: '' });
      notifications.show({ color: 'green', message: t('gateways.saved', { name }) });
    },
    onError: (failure) => {
      if (failure.field === 'api_key' || failure.field === 'secondary_key') void refreshKeys();
    },
  });

  const err = (field: keyof typeof form.values) => form.errors[field];
  const keyHint = (stored: boolean, label: string) =>
    stored ? t('gateways.api_key_hint') : t('gateways.key_missing', { label });

  return (
    <Card withBorder data-testid={`gateway-${initial.gateway}`}>
      <form onSubmit={serverError.onSubmit((values) => save.mutateAsync(values))} noValidate>
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
            {...form.getInputProps('enabled', { type: 'checkbox' })}
          />
          <NativeSelect
            label={t('gateways.environment')}
            {...form.getInputProps('environment')}
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
              {...form.getInputProps('merchant_code')}
              autoComplete="off"
            />
          )}
          <PasswordInput
            label={apiKeyLabel}
            description={keyHint(saved.has_api_key, apiKeyLabel)}
            placeholder={saved.has_api_key ? t('gateways.api_key_stored') : undefined}
            {...form.getInputProps('api_key')}
            autoComplete="new-password"
          />
          {fields.secondaryKey && (
            <PasswordInput
              label={secondaryLabel}
              description={keyHint(saved.has_secondary_key, secondaryLabel)}
              placeholder={saved.has_secondary_key ? t('gateways.api_key_stored') : undefined}
              {...form.getInputProps('secondary_key')}
              autoComplete="new-password"
            />
          )}
          <WebhookUrlField code={initial.gateway} name={name} publicBase={publicBase} />
          <Switch label={t('gateways.show_fee')} {...form.getInputProps('show_fee', { type: 'checkbox' })} />
          <Accordion variant="contained" value={err('base_url') ? 'advanced' : advanced} onChange={setAdvanced}>
            <Accordion.Item value="advanced">
              <Accordion.Control>{t('gateways.advanced')}</Accordion.Control>
              <Accordion.Panel>
                <TextInput
                  label={t('gateways.base_url')}
                  description={t('gateways.base_url_hint')}
                  placeholder="https://…"
                  {...form.getInputProps('base_url')}
                />
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>
          <FormError error={serverError.error} />
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

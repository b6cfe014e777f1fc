import { Alert, Button, Card, Code, Group, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { PublicUrlCheck } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { fieldError } from '../../lib/fieldError';
import { useApi } from '../../lib/useApi';

/**
 * Alamat publik: where customers and gateways reach the public listener (pay pages, webhooks),
 * with "Periksa" proving the address really reaches this app. The field starts with the stored
 * address (empty: the local public listener is used).
 */
export function PublicUrlSection() {
  const current = useApi(() => unwrap(api.GET('/api/settings/public-url')), []);
  return <LoadState state={current}>{(data) => <PublicUrlForm initial={data.public_base_url ?? ''} />}</LoadState>;
}

function PublicUrlForm({ initial }: { initial: string }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [checking, setChecking] = useState(false);
  const [check, setCheck] = useState<PublicUrlCheck | null>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setCheck(null);
    setSaving(true);
    try {
      const saved = await unwrap(api.PUT('/api/settings/public-url', { body: { public_base_url: url.trim() || null } }));
      setUrl(saved.public_base_url ?? '');
      notifications.show({ color: 'green', message: t('public_url.saved') });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setSaving(false);
    }
  };

  const runCheck = async () => {
    setError(null);
    setCheck(null);
    setChecking(true);
    try {
      setCheck(await unwrap(api.POST('/api/settings/public-url/check')));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setChecking(false);
    }
  };

  return (
    <Card withBorder>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t('public_url.title')}
          </Title>
          <Text size="sm">{t('public_url.intro')}</Text>
          <Text size="sm" fw={500}>
            {t('public_url.how')}
          </Text>
          <List size="sm" spacing={4}>
            <List.Item>
              {t('public_url.how_cloudflared')} <Code>cloudflared tunnel --url http://127.0.0.1:7879</Code>
            </List.Item>
            <List.Item>{t('public_url.how_ngrok')}</List.Item>
            <List.Item>{t('public_url.how_tailscale')}</List.Item>
            <List.Item>{t('public_url.how_router')}</List.Item>
          </List>
          <TextInput
            label={t('public_url.url')}
            description={t('public_url.url_hint')}
            placeholder="https://bayar.rtrwnet.id"
            type="url"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            error={fieldError(error, 'public_base_url')}
          />
          <FormError error={error} />
          {check && (
            <Alert
              color={check.ok ? 'green' : 'red'}
              variant="light"
              role={check.ok ? 'status' : 'alert'}
              title={check.ok ? t('public_url.ok_title') : t('public_url.fail_title')}
              data-testid="public-url-check"
              data-ok={check.ok}
            >
              <Text size="sm">{check.message}</Text>
              <Text size="xs" c="dimmed">
                {t('public_url.checked_url', { url: check.url })}
              </Text>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" loading={checking} onClick={() => void runCheck()}>
              {t('public_url.check')}
            </Button>
            <Button type="submit" loading={saving}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

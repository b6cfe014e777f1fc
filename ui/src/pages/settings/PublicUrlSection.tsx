import { Alert, Button, Card, Code, Group, List, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { tDynamic } from '../../lib/tDynamic';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { publicUrlQuery } from '../../api/queries';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { useServerError } from '../../lib/formErrors';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';

/**
 * Alamat publik: where customers and gateways reach the public listener (pay pages, webhooks),
 * with "Periksa" proving the address really reaches this app. The field starts with the stored
 * address (empty: the local public listener is used).
 */
export function PublicUrlSection() {
  const current = useQuery(publicUrlQuery());
  return (
    <LoadState state={current}>
      {(data) => <PublicUrlForm initial={data.public_base_url ?? ''} checkout={data.pay_without_public_address ?? false} />}
    </LoadState>
  );
}

type Mode = 'public' | 'checkout';

function PublicUrlForm({ initial, checkout }: { initial: string; checkout: boolean }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const form = useForm({ initialValues: { public_base_url: initial, mode: (checkout ? 'checkout' : 'public') as Mode } });
  const serverError = useServerError(form);
  const gateways = useQuery({ queryKey: keys.settings.gateways(), queryFn: () => unwrap(api.GET('/api/settings/gateways')) });
  const checkoutGateway = (gateways.data?.items ?? []).some((g) => g.enabled && g.gateway === 'duitku');
  const save = useMutation({
    mutationFn: (v: { public_base_url: string; mode: Mode }) =>
      unwrap(
        api.PUT('/api/settings/public-url', {
          body: { public_base_url: v.public_base_url.trim() || null, pay_without_public_address: v.mode === 'checkout' },
        }),
      ),
    onSuccess: (saved) => {
      form.setValues({ public_base_url: saved.public_base_url ?? '', mode: saved.pay_without_public_address ? 'checkout' : 'public' });
      void invalidate(keys.dashboard.checklist());
      notifications.show({ color: 'green', message: t('public_url.saved') });
      // The gateways' webhook addresses are built from it.
      void invalidate(keys.settings.publicUrl());
    },
  });
  const check = useMutation({ mutationFn: () => unwrap(api.POST('/api/settings/public-url/check')) });
  const result = check.data ?? null;

  const runCheck = async () => {
    serverError.clear();
    try {
      await check.mutateAsync();
    } catch (e) {
      serverError.show(e);
    }
  };

  return (
    <Card withBorder>
      <form
        onSubmit={serverError.onSubmit((values) => {
          check.reset();
          return save.mutateAsync(values);
        })}
        noValidate
      >
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
          <Radio.Group label={t('public_url.mode_label')} {...form.getInputProps('mode')} data-testid="pay-mode">
            <Stack gap={6} mt={4}>
              <Radio value="public" label={t('public_url.mode_public')} />
              <Radio value="checkout" label={t('public_url.mode_checkout')} description={t('public_url.mode_checkout_hint')} />
            </Stack>
          </Radio.Group>
          {form.values.mode === 'checkout' && gateways.isSuccess && !checkoutGateway && (
            <Alert color="yellow" variant="light">
              {t('public_url.mode_checkout_no_gateway')}
            </Alert>
          )}
          <TextInput
            label={t('public_url.url')}
            description={t('public_url.url_hint')}
            placeholder="https://bayar.rtrwnet.id"
            type="url"
            {...form.getInputProps('public_base_url')}
          />
          <FormError error={serverError.error} />
          {result && (
            <Alert
              color={result.ok ? 'green' : 'red'}
              variant="light"
              role={result.ok ? 'status' : 'alert'}
              title={result.ok ? t('public_url.ok_title') : t('public_url.fail_title')}
              data-testid="public-url-check"
              data-ok={result.ok}
            >
              <Text size="sm">
                {tDynamic(t, `public_url.codes.${result.code}`, { status: result.http_status ?? '', defaultValue: result.message })}
              </Text>
              <Text size="xs" c="dimmed">
                {t('public_url.checked_url', { url: result.url })}
              </Text>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" loading={check.isPending} onClick={() => void runCheck()}>
              {t('public_url.check')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

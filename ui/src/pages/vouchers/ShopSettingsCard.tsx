import { Alert, Anchor, Button, Card, CopyButton, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { publicUrlQuery, routersQuery } from '../../api/queries';
import type { ShopSettings } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { useServerError } from '../../lib/formErrors';
import { keys } from '../../lib/queryKeys';
import { closedReasonColor, closedReasonKey } from '../../lib/shop';

/** "Pengaturan toko": open or closed, the router, the alert time; the address and what is missing. */
export function ShopSettingsCard({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const settings = useQuery({ queryKey: keys.shop.settings(), queryFn: () => unwrap(api.GET('/api/shop/settings')) });
  return (
    <Card withBorder padding="lg" radius="md" component="section" aria-labelledby="shop-settings-title" data-testid="shop-settings">
      <Title order={3} size="h4" id="shop-settings-title" mb="sm">
        {t('vouchers.shop.settings_title')}
      </Title>
      <LoadState state={settings}>
        {(data) => (
          <Stack gap="md">
            <ClosedReason settings={data} />
            <SettingsForm initial={data} canWrite={canWrite} />
            <ShopAddress url={data.url} />
          </Stack>
        )}
      </LoadState>
    </Card>
  );
}

/** What keeps the shop from selling, in plain words with where to fix it; or that it sells. */
function ClosedReason({ settings }: { settings: ShopSettings }) {
  const { t } = useTranslation();
  const reason = closedReasonKey(settings.closed_reason);
  if (!reason) {
    return (
      <Text size="sm" c="green.8" fw={500} data-testid="shop-open">
        {t('vouchers.shop.selling')}
      </Text>
    );
  }
  const link =
    reason === 'nothing_for_sale'
      ? { to: '/vouchers/profiles', label: t('vouchers.shop.open_profiles') }
      : reason === 'no_gateway'
        ? { to: '/settings?tab=online', label: t('vouchers.shop.open_gateways') }
        : null;
  return (
    <Alert
      color={closedReasonColor(reason)}
      variant="light"
      title={t('vouchers.shop.closed_title')}
      data-testid="shop-closed"
      data-reason={settings.closed_reason}
    >
      <Stack gap={4}>
        <Text size="sm">{t(`vouchers.shop.closed.${reason}`, { reason: settings.closed_reason })}</Text>
        {link && (
          <Anchor component={Link} to={link.to} size="sm">
            {link.label}
          </Anchor>
        )}
      </Stack>
    </Alert>
  );
}

const valuesOf = (s: ShopSettings) => ({
  enabled: s.enabled,
  router_id: s.router_id ?? '',
  alert_minutes: s.alert_minutes as number | string,
});

function SettingsForm({ initial, canWrite }: { initial: ShopSettings; canWrite: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const routers = useQuery(routersQuery());
  const form = useForm({
    initialValues: valuesOf(initial),
    validate: {
      router_id: (v, values) => (values.enabled && !v ? t('vouchers.shop.router_required') : null),
      alert_minutes: (v) => {
        const n = Number(v);
        return Number.isInteger(n) && n >= 1 && n <= 1440 ? null : t('vouchers.shop.alert_minutes_invalid');
      },
    },
  });
  const serverError = useServerError(form, { known: { alert_minutes: t('vouchers.shop.alert_minutes_invalid') } });
  useEffect(() => {
    form.setValues(valuesOf(initial));
    form.resetDirty(valuesOf(initial));
  }, [initial]);
  const save = useMutation({
    mutationFn: (v: ReturnType<typeof valuesOf>) =>
      unwrap(
        api.PUT('/api/shop/settings', {
          body: { enabled: v.enabled, router_id: v.router_id || null, alert_minutes: Number(v.alert_minutes) },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.shop.settings(), saved);
      notifications.show({ color: 'green', message: t('vouchers.shop.saved') });
    },
  });

  const items = routers.data?.items ?? [];
  const current = form.values.router_id;
  const options = [
    { value: '', label: t('vouchers.shop.router_choose') },
    ...items.map((r) => ({ value: r.id, label: r.name })),
    // A router this account cannot list (or not loaded yet) stays selectable as it is.
    ...(current && !items.some((r) => r.id === current) ? [{ value: current, label: current }] : []),
  ];
  const error = serverError.error;

  return (
    <form onSubmit={serverError.onSubmit((values) => save.mutateAsync(values))} noValidate>
      <Stack gap="sm" maw={720}>
        <Switch
          label={t('vouchers.shop.enabled')}
          description={t('vouchers.shop.enabled_hint')}
          disabled={!canWrite}
          data-testid="shop-enabled"
          {...form.getInputProps('enabled', { type: 'checkbox' })}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('vouchers.shop.router')}
            description={t('vouchers.shop.router_hint')}
            disabled={!canWrite}
            data={options}
            data-testid="shop-router"
            {...form.getInputProps('router_id')}
          />
          <NumberInput
            label={t('vouchers.shop.alert_minutes')}
            description={t('vouchers.shop.alert_minutes_hint')}
            min={1}
            max={1440}
            allowDecimal={false}
            allowNegative={false}
            disabled={!canWrite}
            data-testid="shop-alert-minutes"
            {...form.getInputProps('alert_minutes')}
          />
        </SimpleGrid>
        {!error?.field && <FormError error={error} />}
        {canWrite ? (
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            {t('vouchers.shop.read_only')}
          </Text>
        )}
      </Stack>
    </form>
  );
}

/** The shop's page (public address + /shop): copy, open, and whether buyers can reach it. */
function ShopAddress({ url }: { url: string }) {
  const { t } = useTranslation();
  const publicUrl = useQuery(publicUrlQuery());
  const local = publicUrl.data !== undefined && !publicUrl.data.public_base_url;
  return (
    <Stack gap="xs" maw={720}>
      <TextInput
        label={t('vouchers.shop.address')}
        description={t('vouchers.shop.address_hint')}
        value={url}
        readOnly
        onFocus={(e) => e.currentTarget.select()}
        data-testid="shop-url"
        rightSectionWidth={90}
        rightSection={
          <CopyButton value={url}>
            {({ copied, copy }) => (
              <Button size="compact-xs" variant="light" color={copied ? 'teal' : undefined} onClick={copy}>
                {copied ? t('vouchers.shop.copied') : t('vouchers.shop.copy')}
              </Button>
            )}
          </CopyButton>
        }
      />
      <Group gap="xs">
        <Button size="xs" variant="default" component="a" href={url} target="_blank" rel="noopener noreferrer">
          {t('vouchers.shop.open_shop')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t('vouchers.shop.address_note')}
      </Text>
      {local && (
        <Alert color="yellow" variant="light" data-testid="shop-url-local">
          <Stack gap={4}>
            <Text size="sm">{t('vouchers.shop.address_local')}</Text>
            <Anchor component={Link} to="/settings?tab=public" size="sm">
              {t('vouchers.shop.open_public_settings')}
            </Anchor>
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}

import { Alert, Button, Card, FileInput, Group, Image, Select, Stack, Switch, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { businessProfileQuery } from '../../api/queries';
import type { BankAccount, BusinessProfile } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { bpToPercent, logoProblem, percentToBp, readAsDataUrl } from '../../lib/business';
import { useServerError } from '../../lib/formErrors';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { ianaZones, timezoneGroups } from '../../lib/timezones';
import { BankAccountsField } from './BankAccountsField';

/** Loads the profile (a missing one starts empty) and shows the form. */
export function BusinessProfileForm() {
  const profile = useQuery(businessProfileQuery());
  return <LoadState state={profile}>{(p) => <ProfileForm initial={p} />}</LoadState>;
}

const valuesOf = (initial: BusinessProfile) => ({
  name: initial.name,
  address: initial.address,
  phone: initial.phone,
  email: initial.email ?? '',
  logo_data_url: initial.logo_data_url ?? (null as string | null),
  bank_accounts: initial.bank_accounts as BankAccount[],
  /** Percent in the form, basis points on the wire. */
  tax_rate_bp: String(bpToPercent(initial.tax_rate_bp)),
  timezone: initial.timezone || initial.timezone_in_use,
  currency: initial.currency || 'IDR',
  accept_gateway_amount: initial.accept_gateway_amount,
});

function ProfileForm({ initial }: { initial: BusinessProfile }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const [logoFile, setLogoFile] = useState<File | null>(null);
  // What the server holds and what the running app uses; they differ until it restarts.
  const [savedZone, setSavedZone] = useState(initial.timezone);
  const [zoneInUse, setZoneInUse] = useState(initial.timezone_in_use);
  const currencies = initial.supported_currencies.length > 0 ? initial.supported_currencies : ['IDR'];
  const filled = (b: BankAccount) => b.bank.trim() || b.number.trim() || b.holder.trim();
  const form = useForm({
    initialValues: valuesOf(initial),
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      tax_rate_bp: (v) => (percentToBp(v) === null ? t('business.tax_invalid') : null),
      bank_accounts: (rows) =>
        rows.filter(filled).some((b) => !b.bank.trim() || !b.number.trim() || !b.holder.trim())
          ? t('business.bank_incomplete')
          : null,
    },
  });
  const serverError = useServerError(form);
  const { timezone, logo_data_url: logo } = form.values;
  const zoneGroups = useMemo(
    () => timezoneGroups(ianaZones(), timezone, { indonesia: t('business.timezone_group_id'), other: t('business.timezone_group_other') }),
    [timezone, t],
  );
  const save = useMutation({
    mutationFn: (v: ReturnType<typeof valuesOf>) =>
      unwrap(
        api.PUT('/api/settings/business', {
          body: {
            name: v.name.trim(),
            address: v.address.trim(),
            phone: v.phone.trim(),
            email: v.email.trim() || null,
            logo_data_url: v.logo_data_url,
            bank_accounts: v.bank_accounts
              .filter(filled)
              .map((b) => ({ bank: b.bank.trim(), number: b.number.trim(), holder: b.holder.trim() })),
            tax_rate_bp: percentToBp(v.tax_rate_bp) ?? 0,
            timezone: v.timezone,
            currency: v.currency,
            accept_gateway_amount: v.accept_gateway_amount,
          },
        }),
      ),
    onSuccess: (saved) => {
      setSavedZone(saved.timezone);
      setZoneInUse(saved.timezone_in_use);
      notifications.show({ color: 'green', message: t('business.saved') });
      void invalidate(keys.settings.business());
    },
  });

  const pickLogo = async (file: File | null) => {
    setLogoFile(file);
    form.clearFieldError('logo_data_url');
    if (!file) return;
    const problem = logoProblem(file);
    if (problem) {
      form.setFieldError('logo_data_url', t(`business.logo_${problem}`));
      return;
    }
    form.setFieldValue('logo_data_url', await readAsDataUrl(file));
  };

  return (
    <Card withBorder>
      <form onSubmit={serverError.onSubmit((values) => save.mutateAsync(values))} noValidate>
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t('business.title')}
          </Title>
          <TextInput label={t('business.name')} {...form.getInputProps('name')} />
          <Textarea label={t('business.address')} {...form.getInputProps('address')} autosize minRows={2} />
          <Group grow align="flex-start">
            <TextInput label={t('business.phone')} {...form.getInputProps('phone')} />
            <TextInput label={t('business.email')} type="email" {...form.getInputProps('email')} />
          </Group>
          <Group align="flex-end">
            <FileInput
              label={t('business.logo')}
              description={t('business.logo_hint')}
              accept="image/png,image/jpeg,image/webp,image/svg+xml,image/gif"
              value={logoFile}
              onChange={(f) => void pickLogo(f)}
              error={form.errors.logo_data_url}
              clearable
              w={320}
            />
            {logo && (
              <>
                <Image src={logo} alt={t('business.logo_preview')} h={64} w="auto" fit="contain" />
                <Button
                  variant="subtle"
                  color="red"
                  size="xs"
                  onClick={() => {
                    form.setFieldValue('logo_data_url', null);
                    setLogoFile(null);
                  }}
                >
                  {t('business.logo_remove')}
                </Button>
              </>
            )}
          </Group>
          <BankAccountsField value={form.values.bank_accounts} onChange={(rows) => form.setFieldValue('bank_accounts', rows)} />
          {form.errors.bank_accounts && (
            <Text c="red" size="sm" role="alert">
              {form.errors.bank_accounts}
            </Text>
          )}
          <TextInput
            label={t('business.tax_rate')}
            description={t('business.tax_hint')}
            inputMode="decimal"
            rightSection="%"
            {...form.getInputProps('tax_rate_bp')}
            w={200}
          />
          <Select
            label={t('business.timezone')}
            description={t('business.timezone_hint')}
            data={zoneGroups}
            {...form.getInputProps('timezone')}
            onChange={(v) => v && form.setFieldValue('timezone', v)}
            searchable
            allowDeselect={false}
            nothingFoundMessage={t('business.timezone_none')}
            maxDropdownHeight={280}
          />
          <Select
            label={t('business.currency')}
            description={t('business.currency_hint')}
            data={currencies.map((c) => ({ value: c, label: t('business.currency_label', { code: c }) }))}
            {...form.getInputProps('currency')}
            onChange={(v) => v && form.setFieldValue('currency', v)}
            allowDeselect={false}
          />
          <Switch
            label={t('business.accept_gateway_amount')}
            description={t('business.accept_gateway_amount_hint')}
            {...form.getInputProps('accept_gateway_amount', { type: 'checkbox' })}
          />
          {savedZone && zoneInUse && savedZone !== zoneInUse && (
            <Alert color="blue" variant="light" title={t('business.timezone_restart_title')} data-testid="timezone-restart">
              {t('business.timezone_restart_text', { zone: savedZone, in_use: zoneInUse })}
            </Alert>
          )}
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

import { Alert, Button, Card, FileInput, Group, Image, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ApiError, asApiError, unwrap } from '../../api/errors';
import type { BankAccount, BusinessProfile } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { bpToPercent, logoProblem, percentToBp, readAsDataUrl } from '../../lib/business';
import { fieldError } from '../../lib/fieldError';
import { ianaZones, timezoneGroups } from '../../lib/timezones';
import { useApi } from '../../lib/useApi';
import { BankAccountsField } from './BankAccountsField';

const EMPTY: BusinessProfile = {
  name: '',
  address: '',
  phone: '',
  bank_accounts: [],
  tax_rate_bp: 0,
  timezone: 'Asia/Jakarta',
  currency: 'IDR',
  timezone_in_use: 'Asia/Jakarta',
  supported_currencies: ['IDR'],
};

/** Loads the profile (a missing one starts empty) and shows the form. */
export function BusinessProfileForm() {
  const profile = useApi(async () => {
    try {
      return await unwrap(api.GET('/api/settings/business'));
    } catch (e) {
      if (e instanceof ApiError && e.kind === 'not_found') return EMPTY;
      throw e;
    }
  }, []);
  return <LoadState state={profile}>{(p) => <ProfileForm initial={p} />}</LoadState>;
}

function ProfileForm({ initial }: { initial: BusinessProfile }) {
  const { t } = useTranslation();
  const [name, setName] = useState(initial.name);
  const [address, setAddress] = useState(initial.address);
  const [phone, setPhone] = useState(initial.phone);
  const [email, setEmail] = useState(initial.email ?? '');
  const [logo, setLogo] = useState<string | null>(initial.logo_data_url ?? null);
  const [logoFile, setLogoFile] = useState<File | null>(null);
  const [banks, setBanks] = useState<BankAccount[]>(initial.bank_accounts);
  const [tax, setTax] = useState(String(bpToPercent(initial.tax_rate_bp)));
  const [timezone, setTimezone] = useState(initial.timezone || initial.timezone_in_use);
  const [currency, setCurrency] = useState(initial.currency || 'IDR');
  // What the server holds and what the running app uses; they differ until it restarts.
  const [savedZone, setSavedZone] = useState(initial.timezone);
  const [zoneInUse, setZoneInUse] = useState(initial.timezone_in_use);
  const currencies = initial.supported_currencies.length > 0 ? initial.supported_currencies : ['IDR'];
  const zoneGroups = useMemo(
    () => timezoneGroups(ianaZones(), timezone, { indonesia: t('business.timezone_group_id'), other: t('business.timezone_group_other') }),
    [timezone, t],
  );
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => setLocal((l) => ({ ...l, logo_data_url: '' })), [logoFile]);

  const pickLogo = async (file: File | null) => {
    setLogoFile(file);
    if (!file) return;
    const problem = logoProblem(file);
    if (problem) {
      setLocal((l) => ({ ...l, logo_data_url: t(`business.logo_${problem}`) }));
      return;
    }
    setLogo(await readAsDataUrl(file));
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = t('validation.required');
    const bp = percentToBp(tax);
    if (bp === null) problems.tax_rate_bp = t('business.tax_invalid');
    const bankRows = banks.filter((b) => b.bank.trim() || b.number.trim() || b.holder.trim());
    if (bankRows.some((b) => !b.bank.trim() || !b.number.trim() || !b.holder.trim())) {
      problems.bank_accounts = t('business.bank_incomplete');
    }
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length > 0 || bp === null) return;
    setBusy(true);
    try {
      const body = {
        name: name.trim(),
        address: address.trim(),
        phone: phone.trim(),
        email: email.trim() || null,
        logo_data_url: logo,
        bank_accounts: bankRows.map((b) => ({ bank: b.bank.trim(), number: b.number.trim(), holder: b.holder.trim() })),
        tax_rate_bp: bp,
        timezone,
        currency,
      };
      const saved = await unwrap(api.PUT('/api/settings/business', { body }));
      setSavedZone(saved.timezone);
      setZoneInUse(saved.timezone_in_use);
      notifications.show({ color: 'green', message: t('business.saved') });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const err = (field: string) => local[field] || fieldError(error, field);

  return (
    <Card withBorder>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t('business.title')}
          </Title>
          <TextInput label={t('business.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={err('name')} />
          <Textarea
            label={t('business.address')}
            value={address}
            onChange={(e) => setAddress(e.currentTarget.value)}
            error={err('address')}
            autosize
            minRows={2}
          />
          <Group grow align="flex-start">
            <TextInput label={t('business.phone')} value={phone} onChange={(e) => setPhone(e.currentTarget.value)} error={err('phone')} />
            <TextInput
              label={t('business.email')}
              type="email"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={err('email')}
            />
          </Group>
          <Group align="flex-end">
            <FileInput
              label={t('business.logo')}
              description={t('business.logo_hint')}
              accept="image/png,image/jpeg,image/webp,image/svg+xml,image/gif"
              value={logoFile}
              onChange={(f) => void pickLogo(f)}
              error={err('logo_data_url')}
              clearable
              w={320}
            />
            {logo && (
              <>
                <Image src={logo} alt={t('business.logo_preview')} h={64} w="auto" fit="contain" />
                <Button variant="subtle" color="red" size="xs" onClick={() => { setLogo(null); setLogoFile(null); }}>
                  {t('business.logo_remove')}
                </Button>
              </>
            )}
          </Group>
          <BankAccountsField value={banks} onChange={setBanks} />
          {err('bank_accounts') && (
            <Text c="red" size="sm" role="alert">
              {err('bank_accounts')}
            </Text>
          )}
          <TextInput
            label={t('business.tax_rate')}
            description={t('business.tax_hint')}
            inputMode="decimal"
            rightSection="%"
            value={tax}
            onChange={(e) => setTax(e.currentTarget.value)}
            error={err('tax_rate_bp')}
            w={200}
          />
          <Select
            label={t('business.timezone')}
            description={t('business.timezone_hint')}
            data={zoneGroups}
            value={timezone}
            onChange={(v) => v && setTimezone(v)}
            searchable
            allowDeselect={false}
            nothingFoundMessage={t('business.timezone_none')}
            error={err('timezone')}
            maxDropdownHeight={280}
          />
          <Select
            label={t('business.currency')}
            description={t('business.currency_hint')}
            data={currencies.map((c) => ({ value: c, label: t('business.currency_label', { code: c }) }))}
            value={currency}
            onChange={(v) => v && setCurrency(v)}
            allowDeselect={false}
            error={err('currency')}
          />
          {savedZone && zoneInUse && savedZone !== zoneInUse && (
            <Alert color="blue" variant="light" title={t('business.timezone_restart_title')} data-testid="timezone-restart">
              {t('business.timezone_restart_text', { zone: savedZone, in_use: zoneInUse })}
            </Alert>
          )}
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

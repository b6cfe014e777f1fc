import { Alert, Anchor, Button, Group, PasswordInput, Radio, SegmentedControl, Stack, Stepper, Switch, Text, TextInput, NumberInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { api, publicApi } from '../api/client';
import { ApiError, unwrap } from '../api/errors';
import { businessProfileQuery } from '../api/queries';
import type { ConnectionReport, DatabaseCheck, SampleSummary } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { AuthScreen } from '../components/AuthScreen';
import { FormError } from '../components/FormError';
import { LANGUAGES } from '../i18n';
import { useServerError } from '../lib/formErrors';
import { useInvalidate } from '../lib/queryClient';
import { keys } from '../lib/queryKeys';
import { tDynamic } from '../lib/tDynamic';
import { checkNewPassword, checkUsername } from '../lib/validation';
import { ConnectionResult } from './routers/ConnectionTest';
import { BusinessProfileForm } from './settings/BusinessProfileForm';

const STEPS = ['language', 'database', 'owner', 'profile', 'router', 'sample', 'done'] as const;

/**
 * First run: language → database server → owner account → ISP profile (with time zone and
 * currency) → first router → optional sample data → done.
 * The database comes before the owner (the owner is stored in it; the public /api/setup/*
 * routes close once an owner exists), the owner before the rest (the settings and router APIs
 * need a signed-in owner).
 */
export function SetupPage() {
  const { t } = useTranslation();
  const { needsOwner, user } = useAuth();
  const navigate = useNavigate();
  // Decided once: a first run keeps the wizard even after the owner exists (step 2 on).
  const [firstRun] = useState(needsOwner);
  const [step, setStep] = useState(0);
  const [sample, setSample] = useState<SampleSummary | null>(null);

  if (!firstRun) return <Navigate to={user ? '/' : '/login'} replace />;

  const next = () => setStep((s) => Math.min(s + 1, STEPS.length - 1));
  return (
    <AuthScreen title={t('setup.title')} intro={t('wizard.intro')} width={760}>
      <Stepper active={step} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label={t('wizard.step_language')}>
          <LanguageStep onNext={next} />
        </Stepper.Step>
        <Stepper.Step label={t('wizard.step_database')}>
          <DatabaseStep onNext={next} />
        </Stepper.Step>
        <Stepper.Step label={t('wizard.step_owner')}>
          <OwnerStep onDone={next} />
        </Stepper.Step>
        <Stepper.Step label={t('wizard.step_profile')}>
          <Stack>
            <Text size="sm" c="dimmed">
              {t('wizard.profile_intro')}
            </Text>
            <BusinessProfileForm />
            <Group justify="flex-end">
              <Button onClick={next}>{t('wizard.next')}</Button>
            </Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label={t('wizard.step_router')}>
          <RouterStep onNext={next} />
        </Stepper.Step>
        <Stepper.Step label={t('wizard.step_sample')}>
          <SampleStep
            onNext={(summary) => {
              setSample(summary);
              next();
            }}
          />
        </Stepper.Step>
        <Stepper.Completed>
          <Stack>
            <Alert color="green" variant="light" title={t('wizard.done_title')}>
              {t('wizard.done_text')}
            </Alert>
            <PendingZoneNotice />
            {sample && (
              <Alert color="blue" variant="light" title={t('wizard.sample_done_title')} data-testid="sample-data-done">
                {t('wizard.sample_done_text', { customers: sample.customers, plans: sample.plans, invoices: sample.invoices, payments: sample.payments })}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button onClick={() => void navigate('/', { replace: true })}>{t('wizard.open_dashboard')}</Button>
            </Group>
          </Stack>
        </Stepper.Completed>
      </Stepper>
    </AuthScreen>
  );
}

function LanguageStep({ onNext }: { onNext: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack>
      <Text size="sm">{t('wizard.language_intro')}</Text>
      <SegmentedControl
        aria-label={t('wizard.step_language')}
        value={i18n.resolvedLanguage ?? 'id'}
        onChange={(lng) => void i18n.changeLanguage(lng)}
        data={LANGUAGES.map((lng) => ({ value: lng, label: t(`wizard.language_${lng}`) }))}
      />
      <Group justify="flex-end">
        <Button onClick={onNext}>{t('wizard.next')}</Button>
      </Group>
    </Stack>
  );
}

/**
 * Local server (the default: nothing to set up) or a remote one, tested first. A chosen remote
 * server is used from the next start (PUT /api/setup/database), so the wizard stops there and
 * asks for a restart; the owner is then created on that server.
 */
function DatabaseStep({ onNext }: { onNext: () => void }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'local' | 'remote'>('local');
  const [check, setCheck] = useState<DatabaseCheck | null>(null);
  const [chosen, setChosen] = useState(false);
  const form = useForm({ initialValues: { url: '' } });
  const serverError = useServerError(form);
  const url = form.values.url;
  // Each action first forgets the last failure; a failure naming `url` goes under the field.
  const failures = {
    onMutate: () => {
      serverError.clear();
      form.clearErrors();
    },
    onError: (e: unknown) => serverError.show(e),
  };
  const test = useMutation({
    mutationFn: () => unwrap(publicApi.POST('/api/setup/database/test', { body: { url } })),
    ...failures,
    onMutate: () => {
      failures.onMutate();
      setCheck(null);
    },
    onSuccess: (result) => setCheck(result),
  });
  const chooseRemote = useMutation({
    mutationFn: () => unwrap(publicApi.PUT('/api/setup/database', { body: { mode: 'remote', url } })),
    ...failures,
    onSuccess: (result) => {
      setCheck(result);
      setChosen(result.ok);
    },
  });
  const chooseLocal = useMutation({
    mutationFn: () => unwrap(publicApi.PUT('/api/setup/database', { body: { mode: 'local' } })),
    ...failures,
    onSuccess: () => onNext(),
  });
  const busy = test.isPending || chooseRemote.isPending || chooseLocal.isPending;

  if (chosen) {
    return (
      <Alert color="blue" variant="light" title={t('wizard.db_restart_title')} data-testid="database-restart">
        {t('wizard.db_restart_text', { server: check?.server ?? '' })}
      </Alert>
    );
  }

  return (
    <Stack gap="sm">
      <Radio.Group value={mode} onChange={(v) => { setMode(v === 'remote' ? 'remote' : 'local'); setCheck(null); }}>
        <Stack gap="xs">
          <Radio value="local" label={t('wizard.db_local')} description={t('wizard.db_local_hint')} />
          <Radio value="remote" label={t('wizard.db_remote')} description={t('wizard.db_remote_hint')} />
        </Stack>
      </Radio.Group>
      {mode === 'remote' && (
        <>
          <TextInput
            label={t('wizard.db_url')}
            placeholder="postgres://mikrobill:kata-sandi@192.168.1.10:5432/mikrobill"
            {...form.getInputProps('url')}
            onChange={(e) => { form.setFieldValue('url', e.currentTarget.value); setCheck(null); }}
            autoCapitalize="none"
          />
          {check && (
            <Alert
              color={check.ok ? 'green' : 'orange'}
              variant="light"
              title={check.ok ? t('wizard.db_ok') : t('wizard.db_failed')}
              data-testid="database-check"
              data-problem={check.problem ?? ''}
            >
              <Stack gap={4}>
                {check.ok && <Text size="sm">{check.version}</Text>}
                {check.problem && <Text size="sm" fw={500}>{tDynamic(t, `wizard.db_problem.${check.problem}`)}</Text>}
                {check.detail && <Text size="sm" c="dimmed">{check.detail}</Text>}
              </Stack>
            </Alert>
          )}
        </>
      )}
      <FormError error={serverError.error} />
      <Group justify="flex-end">
        {mode === 'remote' ? (
          <>
            <Button variant="default" loading={busy} onClick={() => test.mutate()} disabled={!url.trim()}>
              {t('wizard.db_test')}
            </Button>
            <Button loading={busy} onClick={() => chooseRemote.mutate()} disabled={!check?.ok}>
              {t('wizard.db_use_remote')}
            </Button>
          </>
        ) : (
          <Button loading={busy} onClick={() => chooseLocal.mutate()}>
            {t('wizard.next')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

/** POST /api/setup/owner (only while no owner exists), which also signs in. */
function OwnerStep({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { createOwner, markOwnerExists } = useAuth();
  const [ownerExists, setOwnerExists] = useState(false);
  const form = useForm({
    initialValues: { username: '', password: '', confirm: '' },
    validate: (v) => {
      const username = checkUsername(v.username.trim());
      const checks = checkNewPassword(v.password, v.confirm);
      return {
        username: username && t(username),
        password: checks.password && t(checks.password),
        confirm: checks.confirm && t(checks.confirm),
      };
    },
  });
  const serverError = useServerError(form, {
    known: (e) => (e.message ? {} : { username: t('errors.validation'), password: t('errors.validation') }),
  });
  const create = useMutation({
    mutationFn: (v: typeof form.values) => createOwner(v.username.trim(), v.password),
    onSuccess: () => onDone(),
  });

  const onSubmit = serverError.onSubmit(async (values) => {
    try {
      await create.mutateAsync(values);
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'conflict') {
        setOwnerExists(true);
        markOwnerExists();
        return;
      }
      throw err;
    }
  });

  if (ownerExists) {
    return (
      <Stack>
        <Alert color="yellow" variant="light" role="alert">
          {t('setup.already_exists')}
        </Alert>
        <Anchor component={Link} to="/login">
          {t('setup.go_to_login')}
        </Anchor>
      </Stack>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm" maw={420}>
        <Text size="sm" c="dimmed">
          {t('setup.intro')}
        </Text>
        <TextInput
          autoFocus
          label={t('auth.username')}
          description={t('setup.username_hint')}
          autoComplete="username"
          autoCapitalize="none"
          {...form.getInputProps('username')}
        />
        <PasswordInput
          label={t('auth.password')}
          description={t('setup.password_hint')}
          autoComplete="new-password"
          {...form.getInputProps('password')}
        />
        <PasswordInput
          label={t('auth.password_confirm')}
          autoComplete="new-password"
          {...form.getInputProps('confirm')}
        />
        <FormError error={serverError.error} />
        <Button type="submit" loading={create.isPending} fullWidth>
          {t('setup.submit')}
        </Button>
      </Stack>
    </form>
  );
}

/** A time zone chosen in the profile step is used from the next start: say so at the end. */
function PendingZoneNotice() {
  const { t } = useTranslation();
  const profile = useQuery(businessProfileQuery());
  const p = profile.data;
  if (!p || p.timezone === p.timezone_in_use) return null;
  return (
    <Alert color="blue" variant="light" title={t('business.timezone_restart_title')} data-testid="timezone-restart">
      {t('business.timezone_restart_text', { zone: p.timezone, in_use: p.timezone_in_use })}
    </Alert>
  );
}

/**
 * Optional sample data (POST /api/setup/sample-data, owner only) for an owner who wants to try
 * the app first: plans, customers, invoices and payments whose names end in "(contoh)". Only
 * into an empty database; the server refuses (409) once customers exist.
 */
function SampleStep({ onNext }: { onNext: (summary: SampleSummary | null) => void }) {
  const { t } = useTranslation();
  const [fill, setFill] = useState(false);
  const sample = useMutation({ mutationFn: () => unwrap(api.POST('/api/setup/sample-data')), onSuccess: (summary) => onNext(summary) });

  const onContinue = () => {
    if (!fill) onNext(null);
    else sample.mutate();
  };

  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('wizard.sample_intro')}
      </Text>
      <Switch
        label={t('wizard.sample_switch')}
        description={t('wizard.sample_hint')}
        checked={fill}
        onChange={(e) => setFill(e.currentTarget.checked)}
      />
      <FormError error={sample.error} />
      <Group justify="flex-end">
        <Button loading={sample.isPending} onClick={onContinue}>
          {t('wizard.next')}
        </Button>
      </Group>
    </Stack>
  );
}

const DEFAULT_PORT = 8728;
const TLS_PORT = 8729;

/**
 * The first router: saved through POST /api/routers (PATCH on a retry), then tested with the
 * real client (POST /api/routers/{id}/test); a failure is explained by its `problem`. Skippable.
 */
function RouterStep({ onNext }: { onNext: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const [routerId, setRouterId] = useState<string | null>(null);
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const form = useForm({
    initialValues: { host: '', port: DEFAULT_PORT as string | number, tls: false, api_user: 'admin', password: '' },
  });
  const serverError = useServerError(form);
  // Saved (POST, or PATCH on a retry), then tested.
  const saveAndTest = useMutation({
    mutationFn: async (v: typeof form.values) => {
      const body = {
        name: t('wizard.router_name'),
        host: v.host.trim(),
        port: Number(v.port),
        tls: v.tls,
        api_user: v.api_user.trim(),
        password: v.password,
      };
      let id = routerId;
      if (id) {
        await unwrap(api.PATCH('/api/routers/{id}', { params: { path: { id } }, body }));
      } else {
        id = (await unwrap(api.POST('/api/routers', { body }))).id;
        setRouterId(id);
      }
      return unwrap(api.POST('/api/routers/{id}/test', { params: { path: { id } } }));
    },
    onSuccess: (result) => setReport(result),
    onSettled: () => void invalidate(...keys.routers.status()),
  });
  const drop = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/routers/{id}', { params: { path: { id } } })),
    onSettled: () => void invalidate(...keys.routers.status()),
  });

  const onTls = (on: boolean) => {
    const port = Number(form.values.port);
    form.setFieldValue('tls', on);
    if (on && port === DEFAULT_PORT) form.setFieldValue('port', TLS_PORT);
    if (!on && port === TLS_PORT) form.setFieldValue('port', DEFAULT_PORT);
  };

  // Skipping after a failed test drops the router the test saved: "skip" means no router yet
  // (it can be added on the Router page later).
  const onSkipOrNext = async () => {
    if (routerId && !report?.ok) {
      serverError.clear();
      try {
        await drop.mutateAsync(routerId);
      } catch (e) {
        serverError.show(e);
        return;
      }
    }
    onNext();
  };

  return (
    <form
      onSubmit={serverError.onSubmit((values) => {
        setReport(null);
        return saveAndTest.mutateAsync(values);
      })}
      noValidate
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('wizard.router_intro')}
        </Text>
        <Group grow align="flex-start">
          <TextInput
            autoFocus
            label={t('routers.host')}
            {...form.getInputProps('host')}
            placeholder="192.168.88.1"
          />
          <NumberInput label={t('routers.port')} {...form.getInputProps('port')} min={1} max={65535} />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label={t('routers.api_user')}
            {...form.getInputProps('api_user')}
            autoCapitalize="none"
          />
          <PasswordInput label={t('routers.password')} {...form.getInputProps('password')} autoComplete="off" />
        </Group>
        <Switch label={t('routers.tls')} checked={form.values.tls} onChange={(e) => onTls(e.currentTarget.checked)} />
        <FormError error={serverError.error} />
        {report && <ConnectionResult report={report} routerId={routerId ?? undefined} onReport={setReport} />}
        <Group justify="space-between">
          <Button type="submit" loading={saveAndTest.isPending} variant={report?.ok ? 'default' : 'filled'}>
            {t('wizard.router_test')}
          </Button>
          <Button variant={report?.ok ? 'filled' : 'subtle'} loading={drop.isPending || drop.isSuccess} onClick={() => void onSkipOrNext()}>
            {report?.ok ? t('wizard.next') : t('wizard.skip')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

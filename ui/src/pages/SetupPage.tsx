import { Alert, Anchor, Button, Group, PasswordInput, Radio, SegmentedControl, Stack, Stepper, Switch, Text, TextInput, NumberInput } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { api, publicApi } from '../api/client';
import { asApiError, unwrap } from '../api/errors';
import type { ApiError } from '../api/errors';
import type { ConnectionReport, DatabaseCheck, SampleSummary } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { AuthScreen } from '../components/AuthScreen';
import { FormError } from '../components/FormError';
import { LANGUAGES } from '../i18n';
import { fieldError } from '../lib/fieldError';
import { tDynamic } from '../lib/tDynamic';
import { useApi } from '../lib/useApi';
import { checkNewPassword, checkUsername } from '../lib/validation';
import type { FieldErrorKey } from '../lib/validation';
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
  const [url, setUrl] = useState('');
  const [check, setCheck] = useState<DatabaseCheck | null>(null);
  const [chosen, setChosen] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const test = () =>
    run(async () => {
      setCheck(null);
      setCheck(await unwrap(publicApi.POST('/api/setup/database/test', { body: { url } })));
    });

  const useRemote = () =>
    run(async () => {
      const result = await unwrap(publicApi.PUT('/api/setup/database', { body: { mode: 'remote', url } }));
      setCheck(result);
      setChosen(result.ok);
    });

  const useLocal = () =>
    run(async () => {
      await unwrap(publicApi.PUT('/api/setup/database', { body: { mode: 'local' } }));
      onNext();
    });

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
            value={url}
            onChange={(e) => { setUrl(e.currentTarget.value); setCheck(null); }}
            error={fieldError(error, 'url')}
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
      <FormError error={error} />
      <Group justify="flex-end">
        {mode === 'remote' ? (
          <>
            <Button variant="default" loading={busy} onClick={() => void test()} disabled={!url.trim()}>
              {t('wizard.db_test')}
            </Button>
            <Button loading={busy} onClick={() => void useRemote()} disabled={!check?.ok}>
              {t('wizard.db_use_remote')}
            </Button>
          </>
        ) : (
          <Button loading={busy} onClick={() => void useLocal()}>
            {t('wizard.next')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

type Field = 'username' | 'password' | 'confirm';
type FieldErrors = Partial<Record<Field, FieldErrorKey | { server: string }>>;

/** POST /api/setup/owner (only while no owner exists), which also signs in. */
function OwnerStep({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { createOwner, markOwnerExists } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [ownerExists, setOwnerExists] = useState(false);
  const [busy, setBusy] = useState(false);

  const problem = (field: Field): string | undefined => {
    const e = fieldErrors[field];
    if (!e) return undefined;
    return typeof e === 'string' ? t(e) : e.server;
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const name = username.trim();
    const checks = checkNewPassword(password, confirm);
    const local: FieldErrors = {};
    const usernameProblem = checkUsername(name);
    if (usernameProblem) local.username = usernameProblem;
    if (checks.password) local.password = checks.password;
    if (checks.confirm) local.confirm = checks.confirm;
    setFieldErrors(local);
    setError(null);
    if (Object.keys(local).length > 0) return;

    setBusy(true);
    try {
      await createOwner(name, password);
      onDone();
    } catch (err) {
      const apiError = asApiError(err);
      if (apiError.kind === 'conflict') {
        setOwnerExists(true);
        markOwnerExists();
        return;
      }
      if (apiError.field === 'username' || apiError.field === 'password') {
        setFieldErrors({ [apiError.field]: { server: apiError.message || t('errors.validation') } });
      }
      setError(apiError);
    } finally {
      setBusy(false);
    }
  };

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
    <form onSubmit={(e) => void onSubmit(e)} noValidate>
      <Stack gap="sm" maw={420}>
        <Text size="sm" c="dimmed">
          {t('setup.intro')}
        </Text>
        <TextInput
          label={t('auth.username')}
          description={t('setup.username_hint')}
          autoComplete="username"
          autoCapitalize="none"
          value={username}
          onChange={(e) => setUsername(e.currentTarget.value)}
          error={problem('username')}
        />
        <PasswordInput
          label={t('auth.password')}
          description={t('setup.password_hint')}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={problem('password')}
        />
        <PasswordInput
          label={t('auth.password_confirm')}
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
          error={problem('confirm')}
        />
        <FormError error={error} />
        <Button type="submit" loading={busy} fullWidth>
          {t('setup.submit')}
        </Button>
      </Stack>
    </form>
  );
}

/** A time zone chosen in the profile step is used from the next start: say so at the end. */
function PendingZoneNotice() {
  const { t } = useTranslation();
  const profile = useApi(() => unwrap(api.GET('/api/settings/business')), []);
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
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const onContinue = async () => {
    if (!fill) {
      onNext(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onNext(await unwrap(api.POST('/api/setup/sample-data')));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
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
      <FormError error={error} />
      <Group justify="flex-end">
        <Button loading={busy} onClick={() => void onContinue()}>
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
  const [host, setHost] = useState('');
  const [port, setPort] = useState<string | number>(DEFAULT_PORT);
  const [tls, setTls] = useState(false);
  const [apiUser, setApiUser] = useState('admin');
  const [password, setPassword] = useState('');
  const [routerId, setRouterId] = useState<string | null>(null);
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [skipping, setSkipping] = useState(false);

  const onTls = (on: boolean) => {
    setTls(on);
    if (on && Number(port) === DEFAULT_PORT) setPort(TLS_PORT);
    if (!on && Number(port) === TLS_PORT) setPort(DEFAULT_PORT);
  };

  // Skipping after a failed test drops the router the test saved: "skip" means no router yet
  // (it can be added on the Router page later).
  const onSkipOrNext = async () => {
    if (routerId && !report?.ok) {
      setSkipping(true);
      try {
        await unwrap(api.DELETE('/api/routers/{id}', { params: { path: { id: routerId } } }));
      } catch (e) {
        setError(asApiError(e));
        setSkipping(false);
        return;
      }
    }
    onNext();
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const body = {
        name: t('wizard.router_name'),
        host: host.trim(),
        port: Number(port),
        tls,
        api_user: apiUser.trim(),
        password,
      };
      let id = routerId;
      if (id) {
        await unwrap(api.PATCH('/api/routers/{id}', { params: { path: { id } }, body }));
      } else {
        id = (await unwrap(api.POST('/api/routers', { body }))).id;
        setRouterId(id);
      }
      setReport(await unwrap(api.POST('/api/routers/{id}/test', { params: { path: { id } } })));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('wizard.router_intro')}
        </Text>
        <Group grow align="flex-start">
          <TextInput
            label={t('routers.host')}
            value={host}
            onChange={(e) => setHost(e.currentTarget.value)}
            error={fieldError(error, 'host')}
            placeholder="192.168.88.1"
          />
          <NumberInput label={t('routers.port')} value={port} onChange={setPort} min={1} max={65535} error={fieldError(error, 'port')} />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label={t('routers.api_user')}
            value={apiUser}
            onChange={(e) => setApiUser(e.currentTarget.value)}
            error={fieldError(error, 'api_user')}
            autoCapitalize="none"
          />
          <PasswordInput label={t('routers.password')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="off" />
        </Group>
        <Switch label={t('routers.tls')} checked={tls} onChange={(e) => onTls(e.currentTarget.checked)} />
        <FormError error={error} />
        {report && <ConnectionResult report={report} routerId={routerId ?? undefined} onReport={setReport} />}
        <Group justify="space-between">
          <Button type="submit" loading={busy} variant={report?.ok ? 'default' : 'filled'}>
            {t('wizard.router_test')}
          </Button>
          <Button variant={report?.ok ? 'filled' : 'subtle'} loading={skipping} onClick={() => void onSkipOrNext()}>
            {report?.ok ? t('wizard.next') : t('wizard.skip')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

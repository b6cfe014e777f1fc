import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { asApiError } from '../api/errors';
import type { ApiError } from '../api/errors';
import { useAuth } from '../auth/AuthContext';
import { AuthScreen } from '../components/AuthScreen';
import { FormError } from '../components/FormError';

export function LoginPage() {
  const { t } = useTranslation();
  const { needsOwner, user, expired, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // Accounts with the second factor on: the server asks for the code (422, field "totp").
  const [needsCode, setNeedsCode] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [missing, setMissing] = useState({ username: false, password: false });
  const [busy, setBusy] = useState(false);

  if (needsOwner) return <Navigate to="/setup" replace />;
  if (user && !busy) return <Navigate to="/" replace />;

  const from = (location.state as { from?: string } | null)?.from ?? '/';

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const gaps = { username: !username.trim(), password: !password };
    setMissing(gaps);
    if (gaps.username || gaps.password) return;
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password, needsCode ? code.trim() : undefined);
      void navigate(from, { replace: true });
    } catch (err) {
      const failure = asApiError(err);
      if (failure.field === 'totp') {
        setNeedsCode(true);
        setError(null);
      } else {
        setError(failure);
      }
      setBusy(false);
    }
  };

  return (
    <AuthScreen title={t('login.title')}>
      {expired && !error && (
        <Alert color="yellow" variant="light">
          {t('login.expired')}
        </Alert>
      )}
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('auth.username')}
            autoComplete="username"
            autoCapitalize="none"
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            error={missing.username ? t('validation.required') : undefined}
          />
          <PasswordInput
            label={t('auth.password')}
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={missing.password ? t('validation.required') : undefined}
          />
          {needsCode && (
            <TextInput
              label={t('login.totp')}
              description={t('login.totp_hint')}
              autoComplete="one-time-code"
              inputMode="numeric"
              maxLength={6}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              data-autofocus
            />
          )}
          <FormError error={error} titles={{ unauthorized: t('login.failed') }} />
          <Button type="submit" loading={busy} fullWidth>
            {t('login.submit')}
          </Button>
        </Stack>
      </form>
    </AuthScreen>
  );
}

import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
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
  // Accounts with the second factor on: the server asks for the code (422, field "totp").
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const form = useForm({
    initialValues: { username: '', password: '', totp: '' },
    validate: {
      username: (v) => (v.trim() ? null : t('validation.required')),
      password: (v) => (v ? null : t('validation.required')),
    },
  });
  const signIn = useMutation({
    mutationFn: (v: typeof form.values) => login(v.username.trim(), v.password, needsCode ? v.totp.trim() : undefined),
  });
  // Still busy after success, until the navigation below (so the redirect to / does not win).
  const busy = signIn.isPending || signIn.isSuccess;

  if (needsOwner) return <Navigate to="/setup" replace />;
  if (user && !busy) return <Navigate to="/" replace />;

  const from = (location.state as { from?: string } | null)?.from ?? '/';

  const onSubmit = form.onSubmit(async (values) => {
    setError(null);
    try {
      await signIn.mutateAsync(values);
      void navigate(from, { replace: true });
    } catch (err) {
      const failure = asApiError(err);
      if (failure.field === 'totp') {
        setNeedsCode(true);
        setError(null);
      } else {
        setError(failure);
      }
    }
  });

  return (
    <AuthScreen title={t('login.title')}>
      {expired && !error && (
        <Alert color="yellow" variant="light">
          {t('login.expired')}
        </Alert>
      )}
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('auth.username')}
            // The first thing to do here is type the username.
            autoFocus
            autoComplete="username"
            autoCapitalize="none"
            {...form.getInputProps('username')}
          />
          <PasswordInput
            label={t('auth.password')}
            autoComplete="current-password"
            {...form.getInputProps('password')}
          />
          {needsCode && (
            <TextInput
              label={t('login.totp')}
              autoFocus
              description={t('login.totp_hint')}
              autoComplete="one-time-code"
              inputMode="numeric"
              maxLength={6}
              {...form.getInputProps('totp')}
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

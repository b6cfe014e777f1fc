import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { asApiError } from '../api/errors';
import type { ApiError } from '../api/errors';
import { useAuth } from '../auth/AuthContext';
import { AuthScreen } from '../components/AuthScreen';
import { FormError } from '../components/FormError';
import { checkNewPassword, checkUsername } from '../lib/validation';
import type { FieldErrorKey } from '../lib/validation';

type Field = 'username' | 'password' | 'confirm';
type FieldErrors = Partial<Record<Field, FieldErrorKey | { server: string }>>;

/** First run: creates the owner account (POST /api/setup/owner) and signs in. */
export function SetupPage() {
  const { t } = useTranslation();
  const { needsOwner, user, createOwner, markOwnerExists } = useAuth();
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [ownerExists, setOwnerExists] = useState(false);
  const [busy, setBusy] = useState(false);

  if (!needsOwner && !ownerExists && !busy) return <Navigate to={user ? '/' : '/login'} replace />;

  const fieldError = (field: Field): string | undefined => {
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
      void navigate('/', { replace: true });
    } catch (err) {
      const apiError = asApiError(err);
      setBusy(false);
      if (apiError.kind === 'conflict') {
        setOwnerExists(true);
        markOwnerExists();
        return;
      }
      if (apiError.field === 'username' || apiError.field === 'password') {
        setFieldErrors({ [apiError.field]: { server: apiError.message || t('errors.validation') } });
      }
      setError(apiError);
    }
  };

  if (ownerExists) {
    return (
      <AuthScreen title={t('setup.title')}>
        <Alert color="yellow" variant="light" role="alert">
          {t('setup.already_exists')}
        </Alert>
        <Anchor component={Link} to="/login">
          {t('setup.go_to_login')}
        </Anchor>
      </AuthScreen>
    );
  }

  return (
    <AuthScreen title={t('setup.title')} intro={t('setup.intro')}>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('auth.username')}
            description={t('setup.username_hint')}
            autoComplete="username"
            autoCapitalize="none"
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            error={fieldError('username')}
          />
          <PasswordInput
            label={t('auth.password')}
            description={t('setup.password_hint')}
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={fieldError('password')}
          />
          <PasswordInput
            label={t('auth.password_confirm')}
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={fieldError('confirm')}
          />
          <FormError error={error} />
          <Button type="submit" loading={busy} fullWidth>
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthScreen>
  );
}

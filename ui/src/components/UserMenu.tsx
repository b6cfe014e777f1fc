import { Button, Menu, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { can } from '../layout/areas';
import { SecondFactorModal } from './SecondFactorModal';

/** Button with the signed-in username; its menu holds "Log out". */
export function UserMenu() {
  const { t } = useTranslation();
  const { user, logout } = useAuth();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [factorOpen, setFactorOpen] = useState(false);
  if (!user) return null;

  const onLogout = async (everywhere = false) => {
    setBusy(true);
    try {
      // Every session of this account ends, on every device; then this one signs out too.
      if (everywhere) await api.POST('/api/auth/logout-everywhere').catch(() => undefined);
      await logout();
    } finally {
      setBusy(false);
      void navigate('/login', { replace: true });
    }
  };

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="subtle" size="sm" loading={busy} title={t('user.menu')}>
          {user.username}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="xs">{t('user.signed_in_as', { name: user.username })}</Text>
        </Menu.Label>
        <Menu.Item onClick={() => void onLogout()}>{t('user.logout')}</Menu.Item>
        {can(user, 'second_factor') && (
          <Menu.Item onClick={() => setFactorOpen(true)}>{t('totp.menu')}</Menu.Item>
        )}
        <Menu.Item onClick={() => void onLogout(true)}>{t('user.logout_everywhere')}</Menu.Item>
      </Menu.Dropdown>
      <SecondFactorModal opened={factorOpen} onClose={() => setFactorOpen(false)} />
    </Menu>
  );
}

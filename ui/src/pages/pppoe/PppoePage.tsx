import { Alert, NativeSelect, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { PageHeader } from '../../components/PageHeader';
import { useApi } from '../../lib/useApi';
import { ProfilesSection } from './ProfilesSection';
import { UsersSection } from './UsersSection';

/** PPPoE: router profiles (with "Sinkronkan profil") and the PPPoE secrets of the subscriptions. */
export function PppoePage() {
  const { t } = useTranslation();
  const routers = useApi(() => unwrap(api.GET('/api/routers')), []);
  const [routerId, setRouterId] = useState('');
  const list = routers.data?.items ?? [];

  return (
    <Stack gap="md">
      <PageHeader title={t('nav.pppoe')} />
      <Alert variant="light" color="blue">
        {t('pppoe.intro')}
      </Alert>
      {routers.data && list.length === 0 && (
        <Alert variant="light" color="yellow">
          {t('pppoe.no_routers')}
        </Alert>
      )}
      <NativeSelect
        label={t('pppoe.router_filter')}
        maw={320}
        value={routerId}
        onChange={(e) => setRouterId(e.currentTarget.value)}
        data={[{ value: '', label: t('pppoe.all_routers') }, ...list.map((r) => ({ value: r.id, label: r.name }))]}
      />
      <ProfilesSection routerId={routerId || null} />
      <UsersSection routerId={routerId || null} routers={list} />
    </Stack>
  );
}

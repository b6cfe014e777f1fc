import { Alert, NativeSelect, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { routersQuery } from '../../api/queries';
import { PageHeader } from '../../components/PageHeader';
import { ProfilesSection } from './ProfilesSection';
import { UsersSection } from './UsersSection';

/** PPPoE: router profiles (with "Sinkronkan profil") and the PPPoE secrets of the subscriptions. */
export function PppoePage() {
  const { t } = useTranslation();
  const routers = useQuery(routersQuery());
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

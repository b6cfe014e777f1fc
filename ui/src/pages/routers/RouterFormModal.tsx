import { Button, Group, Modal, NumberInput, PasswordInput, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { Router, RouterBody } from '../../api/types';
import { FormError } from '../../components/FormError';
import { fieldError } from '../../lib/fieldError';

interface Props {
  opened: boolean;
  router?: Router;
  onClose: () => void;
  onSaved: (router: Router) => void;
}

const DEFAULT_PORT = 8728;
const TLS_PORT = 8729;

/** "Tambah router" / "Ubah router". The password is write-only (kept in the OS keyring). */
export function RouterFormModal({ opened, router, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [host, setHost] = useState('');
  const [port, setPort] = useState<string | number>(DEFAULT_PORT);
  const [tls, setTls] = useState(false);
  const [apiUser, setApiUser] = useState('admin');
  const [password, setPassword] = useState('');
  const [profile, setProfile] = useState('isolir');
  const [rateLimit, setRateLimit] = useState('256k/256k');
  const [addressList, setAddressList] = useState('isolir');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setName(router?.name ?? '');
    setHost(router?.host ?? '');
    setPort(router?.port ?? DEFAULT_PORT);
    setTls(router?.tls ?? false);
    setApiUser(router?.api_user ?? 'admin');
    setPassword('');
    setProfile(router?.isolation_profile ?? 'isolir');
    setRateLimit(router?.isolation_rate_limit ?? '256k/256k');
    setAddressList(router?.isolation_address_list ?? 'isolir');
    setLocal({});
    setError(null);
  }, [opened, router]);

  const onTls = (on: boolean) => {
    setTls(on);
    // Follow the usual port unless the user typed another one.
    if (on && Number(port) === DEFAULT_PORT) setPort(TLS_PORT);
    if (!on && Number(port) === TLS_PORT) setPort(DEFAULT_PORT);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const required = t('validation.required');
    if (!name.trim()) problems.name = required;
    if (!host.trim()) problems.host = required;
    if (!apiUser.trim()) problems.api_user = required;
    const portNumber = typeof port === 'number' ? port : Number(port);
    if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) problems.port = required;
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length > 0) return;
    const body: RouterBody = {
      name: name.trim(),
      host: host.trim(),
      port: portNumber,
      tls,
      api_user: apiUser.trim(),
      isolation_profile: profile.trim() || null,
      isolation_rate_limit: rateLimit.trim() || null,
      isolation_address_list: addressList.trim() || null,
    };
    // Empty on edit keeps the stored password; empty on add means "no password".
    if (password || !router) body.password = password;
    setBusy(true);
    try {
      const saved = router
        ? await unwrap(api.PATCH('/api/routers/{id}', { params: { path: { id: router.id } }, body }))
        : await unwrap(api.POST('/api/routers', { body }));
      onSaved(saved);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const err = (field: string) => local[field] ?? fieldError(error, field);

  return (
    <Modal opened={opened} onClose={onClose} title={router ? t('routers.edit') : t('routers.add')} centered size="lg">
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="sm">
          <TextInput label={t('routers.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={err('name')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('routers.host')}
              placeholder="192.168.88.1"
              value={host}
              onChange={(e) => setHost(e.currentTarget.value)}
              error={err('host')}
            />
            <NumberInput
              label={t('routers.port')}
              description={t('routers.port_hint')}
              min={1}
              max={65535}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator={false}
              value={port}
              onChange={setPort}
              error={err('port')}
            />
          </SimpleGrid>
          <Switch label={t('routers.tls')} checked={tls} onChange={(e) => onTls(e.currentTarget.checked)} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('routers.api_user')}
              autoComplete="off"
              value={apiUser}
              onChange={(e) => setApiUser(e.currentTarget.value)}
              error={err('api_user')}
            />
            <PasswordInput
              label={t('routers.password')}
              description={router ? t('routers.password_keep_hint') : t('routers.password_hint')}
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={err('password')}
            />
          </SimpleGrid>
          <Text size="sm" fw={500} mt="xs">
            {t('routers.isolation')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('routers.isolation_profile')}
              description={t('routers.isolation_hint')}
              value={profile}
              onChange={(e) => setProfile(e.currentTarget.value)}
              error={err('isolation_profile')}
            />
            <TextInput
              label={t('routers.isolation_rate_limit')}
              value={rateLimit}
              onChange={(e) => setRateLimit(e.currentTarget.value)}
              error={err('isolation_rate_limit')}
            />
            <TextInput
              label={t('routers.isolation_address_list')}
              value={addressList}
              onChange={(e) => setAddressList(e.currentTarget.value)}
              error={err('isolation_address_list')}
            />
          </SimpleGrid>
          <FormError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

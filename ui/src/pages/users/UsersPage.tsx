import { Alert, Badge, Button, Group, Modal, PasswordInput, Select, Stack, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { StaffUser } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/dates';
import { fieldError } from '../../lib/fieldError';
import { useApi } from '../../lib/useApi';

const STAFF_ROLES = ['owner', 'admin', 'cashier', 'technician'] as const;

/** The roles the signed-in user may hand out: only an owner makes owners. */
function assignableRoles(myRole: string | undefined): string[] {
  return myRole === 'owner' ? [...STAFF_ROLES] : STAFF_ROLES.filter((r) => r !== 'owner');
}

/** Pengguna: staff accounts, their roles, disable/enable and password resets. */
export function UsersPage() {
  const { t } = useTranslation();
  const { user: me } = useAuth();
  const users = useApi(() => unwrap(api.GET('/api/admin/users')), []);
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<StaffUser | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const roles = assignableRoles(me?.role);
  const roleOptions = roles.map((r) => ({ value: r, label: t(`users.role_${r}` as 'users.role_owner') }));

  const change = async (u: StaffUser, body: { role?: string; disabled?: boolean }) => {
    setError(null);
    try {
      await unwrap(api.PATCH('/api/admin/users/{id}', { params: { path: { id: u.id } }, body }));
      users.reload();
    } catch (err) {
      setError(asApiError(err));
    }
  };

  return (
    <Stack gap="md">
      <PageHeader title={t('nav.users')} actions={<Button onClick={() => setAdding(true)}>{t('users.add')}</Button>} />
      <Alert variant="light" color="blue">
        {t('users.intro')}
      </Alert>
      <FormError error={error} />
      <LoadState state={users}>
        {(data) => (
          <Table.ScrollContainer minWidth={760}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('users.username')}</Table.Th>
                  <Table.Th>{t('users.role')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                  <Table.Th>{t('users.last_login')}</Table.Th>
                  <Table.Th>{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((u) => {
                  const manageable = u.role !== 'reseller' && (me?.role === 'owner' || u.role !== 'owner') && u.id !== me?.id;
                  return (
                    <Table.Tr key={u.id} data-testid="user-row" data-username={u.username}>
                      <Table.Td>{u.username}</Table.Td>
                      <Table.Td>
                        {manageable ? (
                          <Select
                            size="xs"
                            w={160}
                            aria-label={`${t('users.role')} ${u.username}`}
                            data={roleOptions}
                            value={u.role}
                            allowDeselect={false}
                            onChange={(role) => role && role !== u.role && void change(u, { role })}
                          />
                        ) : (
                          t(`users.role_${u.role}` as 'users.role_owner')
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={u.disabled ? 'gray' : 'green'} data-testid="user-status">
                          {u.disabled ? t('users.disabled') : t('users.active')}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{u.last_login_at ? formatDateTime(u.last_login_at) : '—'}</Table.Td>
                      <Table.Td>
                        {manageable && (
                          <Group gap="xs" wrap="nowrap">
                            <Button
                              size="xs"
                              variant="light"
                              color={u.disabled ? 'green' : 'red'}
                              aria-label={`${u.disabled ? t('users.enable') : t('users.disable')} ${u.username}`}
                              onClick={() => void change(u, { disabled: !u.disabled })}
                            >
                              {u.disabled ? t('users.enable') : t('users.disable')}
                            </Button>
                            <Button
                              size="xs"
                              variant="default"
                              aria-label={`${t('users.reset_password')} ${u.username}`}
                              onClick={() => setResetting(u)}
                            >
                              {t('users.reset_password')}
                            </Button>
                          </Group>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </LoadState>
      <NewUserModal
        opened={adding}
        roles={roleOptions}
        onClose={() => setAdding(false)}
        onSaved={() => {
          setAdding(false);
          users.reload();
        }}
      />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </Stack>
  );
}

function NewUserModal({
  opened,
  roles,
  onClose,
  onSaved,
}: {
  opened: boolean;
  roles: { value: string; label: string }[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<string | null>('cashier');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST('/api/admin/users', { body: { username, password, role: role ?? '' } }));
      setUsername('');
      setPassword('');
      onSaved();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('users.add')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <TextInput
            label={t('users.username')}
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            error={fieldError(error, 'username')}
            required
          />
          <PasswordInput
            label={t('users.password')}
            description={t('users.password_hint')}
            error={fieldError(error, 'password')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            required
          />
          <Select label={t('users.role')} data={roles} value={role} onChange={setRole} allowDeselect={false} />
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

function ResetPasswordModal({ user, onClose }: { user: StaffUser | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async () => {
    if (!user) return;
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.PUT('/api/admin/users/{id}/password', { params: { path: { id: user.id } }, body: { password } }));
      setPassword('');
      onClose();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={user !== null} onClose={onClose} title={t('users.reset_password_title', { name: user?.username ?? '' })}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <PasswordInput
            label={t('users.new_password')}
            description={t('users.reset_hint')}
            error={fieldError(error, 'password')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            required
          />
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

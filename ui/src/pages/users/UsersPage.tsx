import { Alert, Badge, Button, Group, Modal, PasswordInput, Select, Stack, Table, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { StaffUser } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/dates';
import { useServerError } from '../../lib/formErrors';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';

const STAFF_ROLES = ['owner', 'admin', 'cashier', 'technician'] as const;

/** The roles the signed-in user may hand out: only an owner makes owners. */
function assignableRoles(myRole: string | undefined): string[] {
  return myRole === 'owner' ? [...STAFF_ROLES] : STAFF_ROLES.filter((r) => r !== 'owner');
}

/** Pengguna: staff accounts, their roles, disable/enable and password resets. */
export function UsersPage() {
  const { t } = useTranslation();
  const { user: me } = useAuth();
  const invalidate = useInvalidate();
  const users = useQuery({ queryKey: keys.users.list(), queryFn: () => unwrap(api.GET('/api/admin/users')) });
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<StaffUser | null>(null);
  const roles = assignableRoles(me?.role);
  const roleOptions = roles.map((r) => ({ value: r, label: t(`users.role_${r}` as 'users.role_owner') }));
  const update = useMutation({
    mutationFn: ({ u, body }: { u: StaffUser; body: { role?: string; disabled?: boolean } }) =>
      unwrap(api.PATCH('/api/admin/users/{id}', { params: { path: { id: u.id } }, body })),
    onSuccess: () => void invalidate(keys.users.all),
  });
  const change = (u: StaffUser, body: { role?: string; disabled?: boolean }) => update.mutate({ u, body });

  return (
    <Stack gap="md">
      <PageHeader title={t('nav.users')} actions={<Button onClick={() => setAdding(true)}>{t('users.add')}</Button>} />
      <Alert variant="light" color="blue">
        {t('users.intro')}
      </Alert>
      <FormError error={update.error} />
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
                            onChange={(role) => role && role !== u.role && change(u, { role })}
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
                              onClick={() => change(u, { disabled: !u.disabled })}
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
        onSaved={() => setAdding(false)}
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
  const invalidate = useInvalidate();
  const form = useForm({ initialValues: { username: '', password: '', role: 'cashier' as string | null } });
  const serverError = useServerError(form);
  const create = useMutation({
    mutationFn: (v: typeof form.values) =>
      unwrap(api.POST('/api/admin/users', { body: { username: v.username, password: v.password, role: v.role ?? '' } })),
    onSuccess: () => {
      form.setValues({ username: '', password: '' });
      void invalidate(keys.users.all);
      onSaved();
    },
  });

  return (
    <Modal opened={opened} onClose={onClose} title={t('users.add')}>
      <form onSubmit={serverError.onSubmit((values) => create.mutateAsync(values))}>
        <Stack>
          <TextInput data-autofocus label={t('users.username')} {...form.getInputProps('username')} required />
          <PasswordInput label={t('users.password')} description={t('users.password_hint')} {...form.getInputProps('password')} required />
          <Select label={t('users.role')} data={roles} {...form.getInputProps('role')} allowDeselect={false} />
          <FormError error={serverError.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
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
  const form = useForm({ initialValues: { password: '' } });
  const serverError = useServerError(form);
  const reset = useMutation({
    mutationFn: ({ id, password }: { id: string; password: string }) =>
      unwrap(api.PUT('/api/admin/users/{id}/password', { params: { path: { id } }, body: { password } })),
    onSuccess: () => {
      form.setValues({ password: '' });
      onClose();
    },
  });

  return (
    <Modal opened={user !== null} onClose={onClose} title={t('users.reset_password_title', { name: user?.username ?? '' })}>
      <form
        onSubmit={serverError.onSubmit(async (values) => {
          if (user) await reset.mutateAsync({ id: user.id, password: values.password });
        })}
      >
        <Stack>
          <PasswordInput data-autofocus
            label={t('users.new_password')}
            description={t('users.reset_hint')}
            {...form.getInputProps('password')}
            required
          />
          <FormError error={serverError.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={reset.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

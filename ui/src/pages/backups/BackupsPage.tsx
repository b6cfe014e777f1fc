import { Alert, Badge, Button, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { Backup, PendingRestore } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { errorTitle } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { downloadBackup, formatBytes, formatMs } from '../../lib/backups';
import { formatDateTime } from '../../lib/dates';
import { tDynamic } from '../../lib/tDynamic';
import { keys } from '../../lib/queryKeys';
import { BackupSettingsCard } from './BackupSettingsCard';

/** "Cadangan": every backup (verified or failed), create now, download, check, restore with
 * confirmation, and the settings (folders, how many are kept, the daily time). */
export function BackupsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: keys.backups.list(), queryFn: () => unwrap(api.GET('/api/backups')) });

  const fail = (e: unknown) => {
    const err = asApiError(e);
    notifications.show({ color: 'red', title: errorTitle(err, t), message: err.message, autoClose: false });
  };
  const reload = () => void queryClient.invalidateQueries({ queryKey: keys.backups.all });
  // A restore switches the database: everything on screen is refetched.
  const restored = () => void queryClient.invalidateQueries();

  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/backups/create')),
    onSuccess: (made) => notifications.show({ color: 'green', message: t('backups.created', { file: made.file_name }) }),
    onError: (e) => fail(e),
    onSettled: () => reload(),
  });

  const busy = create.isPending || list.data?.running === true;
  return (
    <Stack gap="md">
      <PageHeader
        title={t('nav.backups')}
        actions={
          <Button loading={busy} onClick={() => create.mutate()}>
            {t('backups.create')}
          </Button>
        }
      />
      <Alert variant="light" color="blue">
        {t('backups.intro')}
      </Alert>
      {busy && (
        <Alert variant="light" color="gray" data-testid="backup-running">
          {t('backups.running')}
        </Alert>
      )}
      <LoadState state={list}>
        {(data) => (
          <Stack gap="md">
            {data.pending_restore && <PendingRestoreBanner pending={data.pending_restore} onDone={restored} />}
            <BackupTable
              items={data.items}
              locked={busy || data.pending_restore != null}
              onChanged={reload}
              onRestored={restored}
              onError={fail}
            />
          </Stack>
        )}
      </LoadState>
      <BackupSettingsCard />
    </Stack>
  );
}

function PendingRestoreBanner({ pending, onDone }: { pending: PendingRestore; onDone: () => void }) {
  const { t } = useTranslation();
  const id = pending.backup_id ?? '';
  return (
    <Alert color="orange" variant="light" title={t('backups.pending_title')} data-testid="restore-pending">
      <Stack gap="sm">
        <Text size="sm">
          {t('backups.pending_text', {
            file: pending.file_name ?? '—',
            at: formatDateTime(pending.switched_at),
            previous: pending.previous_database,
          })}
        </Text>
        <Group gap="xs">
          <ConfirmButton
            color="orange"
            label={t('backups.confirm')}
            title={t('backups.confirm_title')}
            message={t('backups.confirm_message', { previous: pending.previous_database })}
            confirmLabel={t('backups.confirm')}
            onConfirm={async () => {
              const done = await unwrap(api.POST('/api/backups/restore/{id}/confirm', { params: { path: { id } } }));
              notifications.show({ color: 'green', message: t('backups.confirmed', { previous: done.previous_database }) });
              onDone();
            }}
          />
          <ConfirmButton
            variant="default"
            color="gray"
            label={t('backups.undo')}
            title={t('backups.undo_title')}
            message={t('backups.undo_message')}
            confirmLabel={t('backups.undo')}
            onConfirm={async () => {
              await unwrap(api.POST('/api/backups/restore/{id}/undo', { params: { path: { id } } }));
              notifications.show({ color: 'green', message: t('backups.undone') });
              onDone();
            }}
          />
        </Group>
      </Stack>
    </Alert>
  );
}

function BackupStatus({ b }: { b: Backup }) {
  const { t } = useTranslation();
  if (b.status === 'failed') {
    return (
      <Badge color="red" variant="light" data-status="failed">
        {t('backups.status_failed')}
      </Badge>
    );
  }
  if (!b.file_present) {
    return (
      <Badge color="gray" variant="light" data-status="missing">
        {t('backups.status_missing')}
      </Badge>
    );
  }
  return (
    <Tooltip label={t('backups.verified_at', { at: formatDateTime(b.verified_at) })}>
      <Badge color="green" variant="light" data-status="ok">
        {t('backups.status_ok')}
      </Badge>
    </Tooltip>
  );
}

function BackupTable({
  items,
  locked,
  onChanged,
  onRestored,
  onError,
}: {
  items: Backup[];
  locked: boolean;
  onChanged: () => void;
  onRestored: () => void;
  onError: (e: unknown) => void;
}) {
  const { t } = useTranslation();
  const [working, setWorking] = useState<string | null>(null);

  const run = async (id: string, what: 'download' | 'verify', b: Backup) => {
    setWorking(`${what}-${id}`);
    try {
      if (what === 'download') {
        await downloadBackup(id, b.file_name);
      } else {
        await unwrap(api.POST('/api/backups/{id}/verify', { params: { path: { id } } }));
        notifications.show({ color: 'green', message: t('backups.verified_ok', { file: b.file_name }) });
        onChanged();
      }
    } catch (e) {
      onError(e);
    } finally {
      setWorking(null);
    }
  };

  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped highlightOnHover aria-label={t('backups.list')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('backups.col_time')}</Table.Th>
            <Table.Th>{t('backups.col_trigger')}</Table.Th>
            <Table.Th>{t('common.status')}</Table.Th>
            <Table.Th ta="right">{t('backups.col_size')}</Table.Th>
            <Table.Th ta="right">{t('backups.col_rows')}</Table.Th>
            <Table.Th>{t('backups.col_duration')}</Table.Th>
            <Table.Th>{t('backups.col_copy')}</Table.Th>
            <Table.Th>{t('common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={8}>{t('backups.empty')}</Table.Td>
            </Table.Tr>
          )}
          {items.map((b) => {
            const usable = b.status === 'ok' && b.file_present;
            const when = formatDateTime(b.started_at);
            return (
              <Table.Tr key={b.id} data-testid="backup-row" data-status={b.status}>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {when}
                  </Text>
                  <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                    {b.file_name}
                  </Text>
                </Table.Td>
                <Table.Td>{tDynamic(t, `backups.trigger_${b.trigger}`, { defaultValue: b.trigger })}</Table.Td>
                <Table.Td style={{ maxWidth: 320 }}>
                  <BackupStatus b={b} />
                  {b.error && (
                    <Text size="xs" c="red" mt={4}>
                      {b.error}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {formatBytes(b.size_bytes)}
                </Table.Td>
                <Table.Td ta="right">{b.row_count ?? '—'}</Table.Td>
                {/* May wrap at its "·": the table must fit a 1280 px laptop. */}
                <Table.Td miw={110}>
                  {b.status === 'ok' ? t('backups.duration', { dump: formatMs(b.dump_ms), verify: formatMs(b.verify_ms) }) : '—'}
                </Table.Td>
                <Table.Td style={{ maxWidth: 240 }}>
                  {b.copy_path ? (
                    <Text size="xs">{b.copy_path}</Text>
                  ) : b.copy_error ? (
                    <Text size="xs" c="orange">
                      {b.copy_error}
                    </Text>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      size="xs"
                      variant="default"
                      disabled={!usable}
                      loading={working === `download-${b.id}`}
                      aria-label={`${t('backups.download')} ${when}`}
                      onClick={() => void run(b.id, 'download', b)}
                    >
                      {t('backups.download')}
                    </Button>
                    <Button
                      size="xs"
                      variant="light"
                      disabled={!usable || locked}
                      loading={working === `verify-${b.id}`}
                      aria-label={`${t('backups.verify')} ${when}`}
                      onClick={() => void run(b.id, 'verify', b)}
                    >
                      {t('backups.verify')}
                    </Button>
                    <ConfirmButton
                      size="xs"
                      variant="light"
                      color="orange"
                      disabled={!usable || locked}
                      label={t('backups.restore')}
                      aria-label={`${t('backups.restore')} ${when}`}
                      title={t('backups.restore_title')}
                      message={t('backups.restore_message', { at: when })}
                      confirmLabel={t('backups.restore')}
                      onConfirm={async () => {
                        const outcome = await unwrap(api.POST('/api/backups/restore/{id}', { params: { path: { id: b.id } } }));
                        notifications.show({
                          color: 'orange',
                          title: t('backups.restored_title'),
                          message: t('backups.restored', { at: formatDateTime(outcome.backed_up_at) }),
                          autoClose: false,
                        });
                        onRestored();
                      }}
                    />
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

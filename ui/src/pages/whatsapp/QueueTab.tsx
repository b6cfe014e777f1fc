import { Alert, Button, Card, Group, Modal, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { WaMessage, WaStatus } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { errorTitle, FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { formatDateTime } from '../../lib/dates';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { MessageStatusBadge } from './WaStatusBadge';

const STATUSES = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'unknown', 'cancelled'] as const;

/** "Antrean & log": queue counts, "Kirim sekarang", and the delivery log with retry. */
export function QueueTab({ status }: { status: WaStatus }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const [filter, setFilter] = useState('');
  const query = { status: filter || null, limit: 200 };
  const messages = useQuery({
    queryKey: keys.whatsapp.messages(query),
    queryFn: () => unwrap(api.GET('/api/whatsapp/messages', { params: { query } })),
  });
  // The log and the counts above it (from the status).
  const reload = () => void invalidate(keys.whatsapp.messagesAll(), keys.whatsapp.status());
  const drain = useMutation({
    mutationFn: () => unwrap(api.POST('/api/whatsapp/drain')),
    onSettled: () => reload(),
  });
  const drained = drain.data ?? null;
  const drainError = drain.error ? `${errorTitle(drain.error, t)} ${drain.error.message}`.trim() : null;

  const counts = [
    { key: 'queued', label: t('whatsapp.queue.queued'), value: status.queued },
    { key: 'failed', label: t('whatsapp.queue.failed'), value: status.failed },
    { key: 'unknown', label: t('whatsapp.queue.unknown'), value: status.unknown },
    { key: 'sent_today', label: t('whatsapp.queue.sent_today'), value: status.sent_today },
  ];

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        {counts.map((c) => (
          <Card key={c.key} withBorder padding="sm">
            <Text size="xs" c="dimmed">
              {c.label}
            </Text>
            <Text fw={700} fz="xl" data-testid={`wa-count-${c.key}`}>
              {c.value}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      {status.unknown > 0 && (
        <Alert color="orange" variant="light" data-testid="wa-unknown-note">
          {t('whatsapp.queue.unknown_note', { count: status.unknown })}
        </Alert>
      )}
      <Group justify="space-between" align="flex-end">
        <NativeSelect
          label={t('whatsapp.queue.filter')}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          data={[
            { value: '', label: t('common.all') },
            ...STATUSES.map((s) => ({ value: s, label: t(`whatsapp.queue.status.${s}`) })),
          ]}
        />
        <Group gap="xs">
          <Button variant="default" onClick={reload} loading={messages.isFetching}>
            {t('whatsapp.queue.refresh')}
          </Button>
          <Button onClick={() => drain.mutate()} loading={drain.isPending}>
            {t('whatsapp.queue.drain')}
          </Button>
        </Group>
      </Group>
      {drained && (
        <Alert color="blue" variant="light" data-testid="wa-drained" withCloseButton onClose={() => drain.reset()}>
          {t('whatsapp.queue.drained', drained)}
        </Alert>
      )}
      {drainError && (
        <Alert color="red" variant="light" role="alert">
          {drainError}
        </Alert>
      )}
      <LoadState state={messages}>
        {(data) => <MessageTable items={data.items} onRetried={reload} />}
      </LoadState>
    </Stack>
  );
}

function MessageTable({ items, onRetried }: { items: WaMessage[]; onRetried: () => void }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped aria-label={t('whatsapp.queue.log')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('whatsapp.queue.col_time')}</Table.Th>
            <Table.Th>{t('whatsapp.queue.col_to')}</Table.Th>
            <Table.Th>{t('whatsapp.queue.col_template')}</Table.Th>
            <Table.Th>{t('whatsapp.queue.col_body')}</Table.Th>
            <Table.Th>{t('whatsapp.queue.col_priority')}</Table.Th>
            <Table.Th>{t('common.status')}</Table.Th>
            <Table.Th ta="right">{t('whatsapp.queue.col_attempts')}</Table.Th>
            <Table.Th>{t('common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={8} data-testid="wa-messages-empty">
                {t('whatsapp.queue.empty')}
              </Table.Td>
            </Table.Tr>
          )}
          {items.map((m) => (
            <Table.Tr key={m.id} data-testid="wa-message-row" data-id={m.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(m.sent_at ?? m.queued_at)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{m.to_phone}</Table.Td>
              <Table.Td>
                {m.template_key
                  ? t(`whatsapp.templates.names.${m.template_key}` as 'whatsapp.templates.names.owner_alert', { defaultValue: m.template_key })
                  : t('whatsapp.queue.manual')}
              </Table.Td>
              <Table.Td maw={320}>
                <Text size="sm" lineClamp={2} title={m.body}>
                  {m.body}
                </Text>
              </Table.Td>
              <Table.Td>{t(`whatsapp.queue.priority.${m.priority === 0 ? 0 : m.priority === 2 ? 2 : 1}`)}</Table.Td>
              <Table.Td>
                {m.last_error ? (
                  <Tooltip label={m.last_error} multiline w={320}>
                    <span>
                      <MessageStatusBadge status={m.status} />
                    </span>
                  </Tooltip>
                ) : (
                  <MessageStatusBadge status={m.status} />
                )}
              </Table.Td>
              <Table.Td ta="right">{m.attempts}</Table.Td>
              <Table.Td>
                {m.status === 'queued' && <CancelMessageButton id={m.id} onCancelled={onRetried} />}
                {(m.status === 'failed' || m.status === 'unknown') && (
                  <ConfirmButton
                    size="xs"
                    variant="light"
                    color={m.status === 'unknown' ? 'orange' : 'blue'}
                    label={t('whatsapp.queue.retry')}
                    title={t('whatsapp.queue.retry_title')}
                    message={m.status === 'unknown' ? t('whatsapp.queue.retry_unknown') : t('whatsapp.queue.retry_failed')}
                    confirmLabel={t('whatsapp.queue.retry')}
                    onConfirm={async () => {
                      await unwrap(api.POST('/api/whatsapp/messages/{id}/retry', { params: { path: { id: m.id } } }));
                      notifications.show({ color: 'green', message: t('whatsapp.queue.retried') });
                      onRetried();
                    }}
                  />
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** "Batalkan" on a queued message: it stays in the log as cancelled, with the reason. */
function CancelMessageButton({ id, onCancelled }: { id: number; onCancelled: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const cancel = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/whatsapp/messages/{id}/cancel', {
          params: { path: { id } },
          body: { reason: reason.trim() || null },
        }),
      ),
    onSuccess: () => {
      setOpen(false);
      notifications.show({ color: 'green', message: t('whatsapp.queue.cancelled_note') });
    },
    // Sent meanwhile (409): the log shows its real status after the reload.
    onSettled: () => onCancelled(),
  });
  return (
    <>
      <Button
        size="xs"
        variant="light"
        color="red"
        onClick={() => {
          cancel.reset();
          setReason('');
          setOpen(true);
        }}
      >
        {t('whatsapp.queue.cancel')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('whatsapp.queue.cancel_title')} centered>
        <Stack>
          <Text size="sm">{t('whatsapp.queue.cancel_text')}</Text>
          <TextInput data-autofocus
            label={t('whatsapp.queue.cancel_reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            maxLength={500}
          />
          <FormError error={cancel.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={cancel.isPending} onClick={() => cancel.mutate()}>
              {t('whatsapp.queue.cancel_confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

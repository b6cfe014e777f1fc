import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const SESSION_COLORS: Record<string, string> = { healthy: 'green', failed: 'red', pairing: 'yellow', unknown: 'gray' };
const MESSAGE_COLORS: Record<string, string> = {
  queued: 'blue',
  sending: 'cyan',
  sent: 'teal',
  delivered: 'green',
  read: 'green',
  failed: 'red',
  unknown: 'orange',
  cancelled: 'gray',
};

/** A session's health: healthy / failed / waiting for a scan / not checked yet. */
export function SessionStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const known = status in SESSION_COLORS ? (status as 'healthy') : 'unknown';
  return (
    <Badge color={SESSION_COLORS[known]} variant="light" data-testid="wa-session-status" data-status={known}>
      {t(`whatsapp.sessions.state.${known}`)}
    </Badge>
  );
}

/** A message's delivery status in the log. */
export function MessageStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={MESSAGE_COLORS[status] ?? 'gray'} variant="light" data-testid="wa-message-status" data-status={status}>
      {t(`whatsapp.queue.status.${status}` as 'whatsapp.queue.status.queued', { defaultValue: status })}
    </Badge>
  );
}

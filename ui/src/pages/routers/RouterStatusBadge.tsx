import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = { online: 'green', offline: 'red', unknown: 'gray' };

/** Online / offline / not checked yet. */
export function RouterStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const known = status === 'online' || status === 'offline' ? status : 'unknown';
  return (
    <Badge color={COLORS[known]} variant="light" data-testid="router-status" data-status={known}>
      {t(`routers.state.${known}`)}
    </Badge>
  );
}

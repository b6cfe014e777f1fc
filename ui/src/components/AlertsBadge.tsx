import { ActionIcon, Indicator, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useAuth } from '../auth/AuthContext';
import { can } from '../layout/areas';
import { keys } from '../lib/queryKeys';
import { useServerEvents } from '../lib/serverEvents';

/** The header's bell: how many alerts are active (live), linking to the monitoring page. */
export function AlertsBadge() {
  const { user } = useAuth();
  if (!can(user, 'monitoring_read')) return null;
  return <Bell />;
}

function Bell() {
  const { t } = useTranslation();
  const query = { state: 'active', limit: 1000 } as const;
  const active = useQuery({
    queryKey: keys.monitoring.alerts(query),
    queryFn: () => unwrap(api.GET('/api/monitoring/alerts', { params: { query } })),
  });
  const [fromSnapshot, setFromSnapshot] = useState<number | null>(null);
  // The metrics snapshot carries the count; an alert event makes the list stale (LiveQueries
  // refetches it), whose count then applies again.
  useServerEvents(['alert_raised', 'alert_cleared', 'metrics'], (type, data) => {
    if (type === 'metrics') {
      const n = (data as { active_alerts?: number }).active_alerts;
      if (typeof n === 'number') setFromSnapshot(n);
    } else {
      setFromSnapshot(null);
    }
  });
  const count = fromSnapshot ?? active.data?.items.length ?? 0;
  const label = t('alerts.badge', { count });
  return (
    <Tooltip label={label}>
      <Indicator label={count} size={16} color="red" disabled={count === 0} data-testid="alerts-badge" data-count={count}>
        <ActionIcon component={Link} to="/monitoring" variant="subtle" aria-label={label} size="lg">
          <BellIcon />
        </ActionIcon>
      </Indicator>
    </Tooltip>
  );
}

/** A bell outline (no icon font: it must render on every PC). */
function BellIcon() {
  return (
    <svg width={20} height={20} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2}
      strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
      <path d="M13.73 21a2 2 0 0 1-3.46 0" />
    </svg>
  );
}

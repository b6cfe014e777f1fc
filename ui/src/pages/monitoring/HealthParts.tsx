import { Badge, Table, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { HealthCheck, HealthStatus } from '../../api/types';
import { formatDateTime } from '../../lib/dates';
import { tDynamic } from '../../lib/tDynamic';

const COLORS: Record<HealthStatus, string> = { ok: 'green', warning: 'yellow', down: 'red' };

/** "Normal" / "Peringatan" / "Bermasalah" in its colour. */
export function HealthBadge({ status, testId, size }: { status: HealthStatus; testId?: string; size?: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[status]} variant="light" size={size} data-testid={testId} data-status={status}>
      {tDynamic(t, `health.status.${status}`)}
    </Badge>
  );
}

/** The server's finding in the UI language: the code's text with its values, else the English detail. */
export function healthText(t: TFunction, check: Pick<HealthCheck, 'code' | 'params' | 'detail'>): string {
  const params: Record<string, string> = { ...check.params };
  // A router probe's English reason, in words, when its kind is known.
  if (params.why && params.why !== 'other') params.reason = tDynamic(t, `health.why.${params.why}`, { defaultValue: params.reason });
  return tDynamic(t, `health.codes.${check.code}`, {
    ...params,
    defaultValue: check.detail,
    interpolation: { escapeValue: false },
  });
}

/** A part's name: routers, sessions and gateways by their own name; the rest translated. */
export function healthName(t: TFunction, check: Pick<HealthCheck, 'kind' | 'name'>): string {
  if (['router', 'whatsapp', 'gateway'].includes(check.kind)) return check.name;
  return tDynamic(t, `health.names.${check.name}`, { defaultValue: check.name });
}

/** One table of checks (routers, sessions, …); `empty` when there is none. */
export function HealthTable({ checks, empty, label }: { checks: HealthCheck[]; empty: string; label: string }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label={label} verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={200}>{t('health.col_name')}</Table.Th>
            <Table.Th w={130}>{t('common.status')}</Table.Th>
            <Table.Th>{t('health.col_detail')}</Table.Th>
            <Table.Th w={170}>{t('health.col_checked')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {checks.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={4}>
                <Text c="dimmed" size="sm">
                  {empty}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {checks.map((c) => (
            <Table.Tr key={`${c.kind}-${c.id ?? c.name}`} data-testid={`health-${c.kind}-${c.name}`} data-status={c.status}>
              <Table.Td fw={500}>{healthName(t, c)}</Table.Td>
              <Table.Td>
                <HealthBadge status={c.status} />
              </Table.Td>
              <Table.Td>
                {healthText(t, c)}
                {(c.since || c.recovered_at) && (
                  <Text size="xs" c="dimmed">
                    {c.since ? t('health.since', { at: formatDateTime(c.since) }) : ''}
                    {c.since && c.recovered_at ? ' · ' : ''}
                    {c.recovered_at ? t('health.recovered_at', { at: formatDateTime(c.recovered_at) }) : ''}
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(c.checked_at)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

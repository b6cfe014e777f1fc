import { Alert, Button, Card, Stack, Tabs, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { Field, FieldRow } from '../../components/Field';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/dates';
import { formatCpu, formatFingerprint, formatMemory } from '../../lib/routerFormat';
import { keys } from '../../lib/queryKeys';
import { AuditTab } from './AuditTab';
import { CommandsTab } from './CommandsTab';
import { ConnectionTestButton } from './ConnectionTest';
import { ReconcileTab } from './ReconcileTab';
import { RouterCharts } from './RouterCharts';
import { RouterFormModal } from './RouterFormModal';
import { RouterStatusBadge } from './RouterStatusBadge';
import { SessionsTab } from './SessionsTab';

const TABS = ['sessions', 'charts', 'commands', 'reconcile', 'audit'] as const;
type Tab = (typeof TABS)[number];

/** One router: status, then tabs for live sessions, charts, the command queue, reconciliation and audit (`?tab=`). */
export function RouterDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const router = useQuery({
    queryKey: keys.routers.detail(id),
    queryFn: () => unwrap(api.GET('/api/routers/{id}', { params: { path: { id } } })),
  });
  const [editing, setEditing] = useState(false);
  const requested = params.get('tab');
  const tab: Tab = (TABS as readonly string[]).includes(requested ?? '') ? (requested as Tab) : 'sessions';

  return (
    <LoadState state={router}>
      {(r) => (
        <Stack gap="md">
          <PageHeader
            title={r.name}
            back={{ to: '/routers', label: t('nav.routers') }}
            actions={
              <>
                <ConnectionTestButton variant="light" router={r} />
                <Button variant="default" onClick={() => setEditing(true)}>
                  {t('common.edit')}
                </Button>
              </>
            }
          >
            <RouterStatusBadge status={r.status} />
          </PageHeader>
          <Card withBorder>
            <Stack gap="sm">
              <FieldRow>
                <Field label={t('routers.address')}>
                  {r.host}:{r.port}
                  {r.tls ? ' (TLS)' : ''}
                </Field>
                {r.tls && (
                  <Field label={t('routers.certificate')}>
                    <Text span size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="router-tls-fingerprint">
                      {r.tls_fingerprint ? formatFingerprint(r.tls_fingerprint) : t('routers.certificate_none')}
                    </Text>
                  </Field>
                )}
                <Field label={t('routers.api_user')}>{r.api_user}</Field>
                <Field label={t('routers.identity')}>{r.identity || '—'}</Field>
                <Field label={t('routers.version')}>{r.version || '—'}</Field>
                <Field label={t('routers.board')}>{r.board || '—'}</Field>
              </FieldRow>
              <FieldRow>
                <Field label={t('routers.last_seen')}>{formatDateTime(r.last_seen_at)}</Field>
                <Field label={t('routers.cpu')}>{formatCpu(r.cpu_load)}</Field>
                <Field label={t('routers.memory')}>{formatMemory(r.free_memory)}</Field>
                <Field label={t('routers.uptime')}>{r.uptime || '—'}</Field>
                <Field label={t('routers.pending')}>{r.pending_commands}</Field>
                <Field label={t('routers.drift')}>{r.drift_count ?? '—'}</Field>
              </FieldRow>
              {r.last_error && (
                <Alert color="orange" variant="light" title={t('routers.last_error')}>
                  {r.last_error}
                </Alert>
              )}
            </Stack>
          </Card>
          <Tabs
            value={tab}
            onChange={(v) => setParams(v && v !== 'sessions' ? { tab: v } : {}, { replace: true })}
            keepMounted={false}
          >
            <Tabs.List mb="md">
              <Tabs.Tab value="sessions">{t('routers.tab_sessions')}</Tabs.Tab>
              <Tabs.Tab value="charts">{t('routers.tab_charts')}</Tabs.Tab>
              <Tabs.Tab value="commands">{t('routers.tab_commands')}</Tabs.Tab>
              <Tabs.Tab value="reconcile">{t('routers.tab_reconcile')}</Tabs.Tab>
              <Tabs.Tab value="audit">{t('routers.tab_audit')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="sessions">
              <SessionsTab routerId={r.id} />
            </Tabs.Panel>
            <Tabs.Panel value="charts">
              <RouterCharts routerId={r.id} />
            </Tabs.Panel>
            <Tabs.Panel value="commands">
              <CommandsTab routerId={r.id} />
            </Tabs.Panel>
            <Tabs.Panel value="reconcile">
              <ReconcileTab routerId={r.id} />
            </Tabs.Panel>
            <Tabs.Panel value="audit">
              <AuditTab routerId={r.id} />
            </Tabs.Panel>
          </Tabs>
          <RouterFormModal
            opened={editing}
            router={r}
            onClose={() => setEditing(false)}
            onSaved={() => setEditing(false)}
          />
        </Stack>
      )}
    </LoadState>
  );
}

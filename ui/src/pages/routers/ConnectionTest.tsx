import { Alert, Button, List, Modal, Stack, Text } from '@mantine/core';
import type { ButtonProps } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { ConnectionReport, Router, RouterProbe } from '../../api/types';
import { Field, FieldRow } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { formatCpu, formatFingerprint, formatMemory } from '../../lib/routerFormat';
import { tDynamic } from '../../lib/tDynamic';

/** The API user's rights, in plain words. */
function rights(p: RouterProbe, t: TFunction): string[] {
  const lines = [
    p.can_read && p.can_write ? t('routers.right_read_write') : p.can_read ? t('routers.right_read_only') : t('routers.right_none'),
  ];
  if (p.can_read_sensitive === false) lines.push(t('routers.right_no_sensitive'));
  if (p.can_read_sensitive === true) lines.push(t('routers.right_sensitive'));
  return lines;
}

/**
 * The router's api-ssl certificate is not trusted (yet, or any more): its fingerprint to
 * compare with the router's, and "trust it" (POST /api/routers/{id}/trust-certificate), which
 * answers with a new connection test.
 */
function TrustCertificate({
  routerId,
  report,
  onReport,
}: {
  routerId: string;
  report: ConnectionReport;
  onReport: (report: ConnectionReport) => void;
}) {
  const { t } = useTranslation();
  const sha256 = report.certificate_sha256 ?? '';
  const trust = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/routers/{id}/trust-certificate', { params: { path: { id: routerId } }, body: { sha256 } })),
    onSuccess: (next) => onReport(next),
  });
  return (
    <Stack gap="xs" mt="xs">
      <Text size="sm">{t('routers.certificate_compare')}</Text>
      <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="router-certificate-sha256">
        {formatFingerprint(sha256)}
      </Text>
      <Button size="xs" w="fit-content" loading={trust.isPending} onClick={() => trust.mutate()} data-testid="router-trust-certificate">
        {report.problem === 'certificate_changed' ? t('routers.certificate_trust_new') : t('routers.certificate_trust')}
      </Button>
      <FormError error={trust.error} />
    </Stack>
  );
}

/**
 * The outcome of "Tes koneksi": identity, version, board and rights, or what went wrong. With
 * `routerId` and `onReport`, an untrusted api-ssl certificate can be trusted right here.
 */
export function ConnectionResult({
  report,
  routerId,
  onReport,
}: {
  report: ConnectionReport;
  routerId?: string;
  onReport?: (report: ConnectionReport) => void;
}) {
  const { t } = useTranslation();
  const p = report.probe;
  const certificate =
    (report.problem === 'certificate_untrusted' || report.problem === 'certificate_changed') && report.certificate_sha256;
  return (
    <Alert
      color={report.ok ? 'green' : 'orange'}
      variant="light"
      role="status"
      title={report.ok ? t('routers.test_ok') : t('routers.test_failed')}
      data-testid="router-test-result"
      data-ok={String(report.ok)}
    >
      {report.problem && (
        <Text size="sm" fw={500} mb="xs" data-testid="router-test-problem" data-problem={report.problem}>
          {tDynamic(t, `routers.problem.${report.problem}`)}
        </Text>
      )}
      {p ? (
        <Stack gap="sm">
          <Text size="sm">{t('routers.test_connected', { identity: p.identity, version: p.version, board: p.board })}</Text>
          <List size="sm">
            {rights(p, t).map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
          <FieldRow>
            <Field label={t('routers.identity')} testId="probe-identity">{p.identity}</Field>
            <Field label={t('routers.version')} testId="probe-version">{p.version}</Field>
            <Field label={t('routers.board')}>{p.board}</Field>
            <Field label={t('routers.cpu')}>{formatCpu(p.cpu_load)}</Field>
            <Field label={t('routers.memory')}>{formatMemory(p.free_memory)}</Field>
            <Field label={t('routers.uptime')}>{p.uptime || '—'}</Field>
          </FieldRow>
        </Stack>
      ) : (
        // A known problem is explained above in the UI language (the certificate case also below);
        // the server's English sentence is only for a problem the dashboard has no words for.
        !certificate && (!report.problem || report.problem === 'other') && <Text size="sm">{report.summary}</Text>
      )}
      {certificate && routerId && onReport && <TrustCertificate routerId={routerId} report={report} onReport={onReport} />}
    </Alert>
  );
}

/** "Tes koneksi" button; the result opens in a dialog. A test updates the router's status. */
export function ConnectionTestButton({ router, ...props }: ButtonProps & { router: Router }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const [open, setOpen] = useState(false);
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const onTested = () => void invalidate(...keys.routers.status());
  const test = useMutation({
    mutationFn: () => unwrap(api.POST('/api/routers/{id}/test', { params: { path: { id: router.id } } })),
    onSuccess: (result) => {
      setReport(result);
      onTested();
    },
  });
  const busy = test.isPending;
  const error = test.error;

  const run = () => {
    setReport(null);
    setOpen(true);
    test.mutate();
  };

  return (
    <>
      <Button {...props} loading={busy} onClick={run} aria-label={`${t('routers.test')} ${router.name}`}>
        {t('routers.test')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('routers.test_title', { name: router.name })} centered size="lg">
        <Stack>
          {busy && <Text size="sm">{t('common.loading')}</Text>}
          {report && (
            <ConnectionResult
              report={report}
              routerId={router.id}
              onReport={(next) => {
                setReport(next);
                onTested();
              }}
            />
          )}
          <FormError error={error} />
          <Button variant="default" onClick={() => setOpen(false)} w="fit-content">
            {t('common.close')}
          </Button>
        </Stack>
      </Modal>
    </>
  );
}

import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  FileInput,
  Group,
  List,
  ScrollArea,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import { routersQuery } from '../../api/queries';
import type { ImportRecord } from '../../api/types';
import { errorTitle } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { tDynamic } from '../../lib/tDynamic';
import { useInvalidate } from '../../lib/queryClient';
import { BILLING_KEYS, keys } from '../../lib/queryKeys';

type Source = 'file' | 'phpnuxbill' | 'router';

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

const STATUS_COLOR: Record<string, string> = {
  ok: 'green',
  imported: 'green',
  error: 'red',
  duplicate: 'yellow',
};

/** "Impor": a wizard from a CSV/XLSX file, a PHPNuxBill dump or a router kept the Mikhmon way:
 * source → preview and mapping → dry run → commit → report. Nothing is changed on a router. */
export function ImportsPage() {
  const { t } = useTranslation();
  const [source, setSource] = useState<Source>('file');
  const [file, setFile] = useState<File | null>(null);
  const [routerId, setRouterId] = useState<string | null>(null);
  const [record, setRecord] = useState<ImportRecord | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [createPlans, setCreatePlans] = useState(false);
  const [busy, setBusy] = useState(false);
  const invalidate = useInvalidate();
  const routers = useQuery(routersQuery());
  const history = useQuery({ queryKey: keys.imports.list(), queryFn: () => unwrap(api.GET('/api/imports')) });

  const fail = (e: unknown) => {
    const err = asApiError(e);
    notifications.show({ color: 'red', title: errorTitle(err, t), message: err.message, autoClose: false });
  };

  const run = async (work: () => Promise<ImportRecord>) => {
    setBusy(true);
    try {
      const r = await work();
      setRecord(r);
      setMapping(r.mapping);
      setCreatePlans(r.options.create_missing_plans ?? false);
      void invalidate(keys.imports.all);
      // A committed import added customers, plans, subscriptions (and their invoices).
      if (r.status === 'committed') void invalidate(keys.plans.all, ...BILLING_KEYS);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const read = () =>
    run(async () => {
      if (source === 'router') {
        return unwrap(api.POST('/api/imports/router', { body: { router_id: routerId ?? '' } }));
      }
      if (!file) throw new Error(t('imports.choose_file'));
      const body = { file_name: file.name, content_base64: await readAsDataUrl(file) };
      return source === 'file'
        ? unwrap(api.POST('/api/imports/file', { body }))
        : unwrap(api.POST('/api/imports/phpnuxbill', { body }));
    });

  const request = () => ({
    mapping: Object.fromEntries(Object.entries(mapping).filter(([, v]) => v)),
    options: { create_missing_plans: createPlans },
  });
  const dryRun = (id: string) =>
    run(() => unwrap(api.POST('/api/imports/{id}/dry-run', { params: { path: { id } }, body: request() })));
  const commit = (id: string) =>
    run(() => unwrap(api.POST('/api/imports/{id}/commit', { params: { path: { id } }, body: request() })));
  const open = (id: string) => run(() => unwrap(api.GET('/api/imports/{id}', { params: { path: { id } } })));

  const active = !record ? 0 : record.status === 'committed' ? 3 : record.dry_run_at ? 2 : 1;

  return (
    <Stack gap="md">
      <PageHeader title={t('nav.imports')} />
      <Alert variant="light" color="blue">
        {t('imports.intro')}
      </Alert>
      <Stepper active={active} size="sm">
        <Stepper.Step label={t('imports.step_source')} />
        <Stepper.Step label={t('imports.step_mapping')} />
        <Stepper.Step label={t('imports.step_dry_run')} />
        <Stepper.Step label={t('imports.step_report')} />
      </Stepper>

      {(!record || record.status === 'committed') && (
        <Card withBorder>
          <Stack gap="sm">
            <SegmentedControl
              value={source}
              onChange={(v) => setSource(v as Source)}
              data={[
                { value: 'file', label: t('imports.source_file') },
                { value: 'phpnuxbill', label: t('imports.source_phpnuxbill') },
                { value: 'router', label: t('imports.source_router') },
              ]}
            />
            {source === 'router' ? (
              <Select
                label={t('imports.router')}
                data={(routers.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
                value={routerId}
                onChange={setRouterId}
              />
            ) : (
              <FileInput
                label={source === 'file' ? t('imports.file_label') : t('imports.dump_label')}
                accept={source === 'file' ? '.csv,.xlsx,.xls,.ods' : '.sql'}
                value={file}
                onChange={setFile}
                data-testid="import-file"
              />
            )}
            <Text size="sm" c="dimmed">
              {tDynamic(t, `imports.hint_${source}`)}
            </Text>
            <Group>
              <Button loading={busy} onClick={() => void read()} data-testid="import-read">
                {t('imports.read')}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}

      {record && <ImportDetail record={record} />}

      {record && record.status === 'draft' && (
        <Card withBorder>
          <Stack gap="sm">
            <Text fw={600}>{t('imports.mapping_title')}</Text>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              {record.fields.map((field) => (
                <Select
                  key={field}
                  label={tDynamic(t, `imports.field_${field}`)}
                  data={record.columns.map((c) => ({ value: c, label: c }))}
                  value={mapping[field] ?? null}
                  clearable
                  onChange={(v) => setMapping((m) => ({ ...m, [field]: v ?? '' }))}
                  data-testid={`map-${field}`}
                />
              ))}
            </SimpleGrid>
            <Checkbox
              label={t('imports.create_plans')}
              checked={createPlans}
              onChange={(e) => setCreatePlans(e.currentTarget.checked)}
              data-testid="import-create-plans"
            />
            <Group>
              <Button variant="light" loading={busy} onClick={() => void dryRun(record.id)} data-testid="import-dry-run">
                {t('imports.dry_run')}
              </Button>
              {record.dry_run_at && (
                <Button color="green" loading={busy} onClick={() => void commit(record.id)} data-testid="import-commit">
                  {t('imports.commit', { count: record.totals?.ok ?? 0 })}
                </Button>
              )}
            </Group>
          </Stack>
        </Card>
      )}

      <Card withBorder>
        <Text fw={600} mb="xs">
          {t('imports.history')}
        </Text>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.when')}</Table.Th>
              <Table.Th>{t('imports.source')}</Table.Th>
              <Table.Th>{t('imports.file')}</Table.Th>
              <Table.Th>{t('imports.status')}</Table.Th>
              <Table.Th>{t('imports.imported')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(history.data?.items ?? []).map((h) => (
              <Table.Tr key={h.id} style={{ cursor: 'pointer' }} onClick={() => void open(h.id)}>
                <Table.Td>{formatDateTime(h.created_at)}</Table.Td>
                <Table.Td>{h.source}</Table.Td>
                <Table.Td>{h.file_name}</Table.Td>
                <Table.Td>{tDynamic(t, `imports.status_${h.status}`)}</Table.Td>
                <Table.Td>{h.totals?.imported ?? 0}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}

function ImportDetail({ record }: { record: ImportRecord }) {
  const { t } = useTranslation();
  const totals = record.totals;
  return (
    <Stack gap="sm">
      {record.notes.length > 0 && (
        <Alert color="orange" variant="light" title={t('imports.notes')}>
          <List size="sm">
            {record.notes.map((n) => (
              <List.Item key={n}>{n}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {!record.dry_run_at && record.status === 'draft' && (
        <Card withBorder>
          <Text fw={600} mb="xs">
            {t('imports.preview', { count: record.row_count })}
          </Text>
          <ScrollArea>
            <Table striped data-testid="import-preview">
              <Table.Thead>
                <Table.Tr>
                  {record.columns.map((c) => (
                    <Table.Th key={c}>{c}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {record.sample.map((row, i) => (
                  <Table.Tr key={i}>
                    {row.map((cell, j) => (
                      <Table.Td key={j}>{cell}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </Card>
      )}
      {totals && (
        <Card withBorder data-testid="import-totals">
          <Group gap="lg">
            <Badge color="green" size="lg">
              {record.status === 'committed'
                ? t('imports.total_imported', { count: totals.imported })
                : t('imports.total_ok', { count: totals.ok })}
            </Badge>
            <Badge color="red" size="lg">
              {t('imports.total_errors', { count: totals.errors })}
            </Badge>
            <Badge color="yellow" size="lg">
              {t('imports.total_duplicates', { count: totals.duplicates })}
            </Badge>
            <Text size="sm">
              {t('imports.total_detail', {
                customers: totals.customers,
                subscriptions: totals.subscriptions,
                plans: totals.plans_created,
                vouchers: totals.vouchers,
                credit: formatRupiah(totals.credit),
              })}
            </Text>
          </Group>
        </Card>
      )}
      {record.results.length > 0 && (
        <Card withBorder>
          <ScrollArea h={400}>
            <Table data-testid="import-results">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('imports.row')}</Table.Th>
                  <Table.Th>{t('imports.label')}</Table.Th>
                  <Table.Th>{t('imports.status')}</Table.Th>
                  <Table.Th>{t('imports.problems')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {record.results.map((r) => (
                  <Table.Tr
                    key={`${r.row}-${r.label}`}
                    bg={r.status === 'error' ? 'red.0' : r.status === 'duplicate' ? 'yellow.0' : undefined}
                    data-status={r.status}
                  >
                    <Table.Td>{r.row}</Table.Td>
                    <Table.Td>{r.label}</Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLOR[r.status] ?? 'gray'}>{tDynamic(t, `imports.status_${r.status}`)}</Badge>
                    </Table.Td>
                    <Table.Td>
                      {r.errors.map((e) => (
                        <Text key={e.field + e.message} size="sm">
                          <b>{tDynamic(t, `imports.field_${e.field}`, { defaultValue: e.field })}</b>: {e.message}
                        </Text>
                      ))}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </Card>
      )}
    </Stack>
  );
}

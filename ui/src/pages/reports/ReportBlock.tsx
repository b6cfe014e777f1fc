import { Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorTitle } from '../../components/FormError';
import { asApiError } from '../../api/errors';
import type { ReportName, ReportQuery } from '../../lib/reports';
import { downloadReport } from '../../lib/reports';

/** One report: title, CSV/XLSX downloads, then its chart and table. */
export function ReportBlock({ name, query, children, note }: { name: ReportName; query: ReportQuery; children: ReactNode; note?: string }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  const download = async (format: 'csv' | 'xlsx') => {
    setBusy(format);
    try {
      await downloadReport(name, format, query);
    } catch (err) {
      notifications.show({ color: 'red', message: errorTitle(asApiError(err), t) });
    } finally {
      setBusy(null);
    }
  };
  return (
    <Card withBorder radius="md" padding="md" data-testid={`report-${name}`} className="report-block">
      <Group justify="space-between" mb="sm">
        <div>
          <Title order={3} size="h4">
            {t(`reports.name.${name}`)}
          </Title>
          {note && (
            <Text size="xs" c="dimmed">
              {note}
            </Text>
          )}
        </div>
        <Group gap="xs" className="no-print">
          <Button size="xs" variant="default" loading={busy === 'csv'} onClick={() => download('csv')} data-testid={`export-${name}-csv`}>
            CSV
          </Button>
          <Button size="xs" variant="default" loading={busy === 'xlsx'} onClick={() => download('xlsx')} data-testid={`export-${name}-xlsx`}>
            XLSX
          </Button>
        </Group>
      </Group>
      {children}
    </Card>
  );
}

/** A plain report table: header cells, rows of cells, and a bold total row. */
export function ReportTable({
  name,
  head,
  rows,
  total,
  numeric,
}: {
  name: string;
  head: string[];
  rows: { key: string; cells: ReactNode[] }[];
  total?: ReactNode[];
  /** Columns (by index) that are numbers, aligned right. */
  numeric: number[];
}) {
  const { t } = useTranslation();
  const align = (i: number) => (numeric.includes(i) ? 'right' : 'left');
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table striped withTableBorder fz="sm" data-testid={`table-${name}`}>
        <Table.Thead>
          <Table.Tr>
            {head.map((h, i) => (
              <Table.Th key={h} style={{ textAlign: align(i) }}>
                {h}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={head.length}>
                <Text c="dimmed" size="sm">
                  {t('reports.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {rows.map((r) => (
            <Table.Tr key={r.key} data-testid={`${name}-row`} data-key={r.key}>
              {r.cells.map((c, i) => (
                <Table.Td key={i} style={{ textAlign: align(i) }} data-col={i}>
                  {c}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
          {total && (
            <Table.Tr data-testid={`${name}-total`} fw={700}>
              {total.map((c, i) => (
                <Table.Td key={i} style={{ textAlign: align(i) }} data-col={i}>
                  {c}
                </Table.Td>
              ))}
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

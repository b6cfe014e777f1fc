import { Anchor, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { InvoiceSummary } from '../../api/types';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';

/** Invoice summaries as a table (list page, subscription detail, billing-run preview). */
export function InvoiceTable({ items, links = true }: { items: InvoiceSummary[]; links?: boolean }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('invoices.number')}</Table.Th>
            <Table.Th>{t('subscriptions.customer')}</Table.Th>
            <Table.Th>{t('subscriptions.login')}</Table.Th>
            <Table.Th>{t('invoices.period')}</Table.Th>
            <Table.Th>{t('invoices.due_on')}</Table.Th>
            <Table.Th>{t('common.status')}</Table.Th>
            <Table.Th ta="right">{t('invoices.total')}</Table.Th>
            <Table.Th ta="right">{t('invoices.owed')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={8}>{t('common.empty')}</Table.Td>
            </Table.Tr>
          )}
          {items.map((inv) => (
            <Table.Tr key={inv.id}>
              <Table.Td>
                {links ? (
                  <Anchor component={Link} to={`/invoices/${inv.id}`}>
                    {inv.number}
                  </Anchor>
                ) : (
                  inv.number
                )}
              </Table.Td>
              <Table.Td>{inv.customer_name}</Table.Td>
              <Table.Td>{inv.login}</Table.Td>
              <Table.Td>
                {formatDate(inv.period_start)} – {formatDate(inv.period_end)}
              </Table.Td>
              <Table.Td>{formatDate(inv.due_on)}</Table.Td>
              <Table.Td>
                <StatusBadge kind="invoice" status={inv.status} />
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>{formatRupiah(inv.total)}</Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>{formatRupiah(inv.owed)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

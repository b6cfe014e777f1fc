import { Alert, Card, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { IsolationResult } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { LoadState } from '../../components/LoadState';
import { formatDate } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';

/** "Isolir": who would be isolated now (preview), and running it after a confirmation. */
export function IsolationPanel() {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const preview = useQuery({ queryKey: keys.isolation.preview(), queryFn: () => unwrap(api.GET('/api/isolation/preview')) });
  const [result, setResult] = useState<IsolationResult | null>(null);

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t('isolation.title')}
          </Title>
          <ConfirmButton
            color="orange"
            label={t('isolation.run')}
            title={t('isolation.confirm_title')}
            message={t('isolation.confirm_text', { count: preview.data?.items.length ?? 0 })}
            confirmLabel={t('isolation.run')}
            disabled={!preview.data || preview.data.items.length === 0}
            onConfirm={async () => {
              setResult(await unwrap(api.POST('/api/isolation/run')));
              void invalidate(keys.isolation.all, keys.subscriptions.all, keys.pppoe.all, keys.dashboard.all);
            }}
          />
        </Group>
        {result && (
          <Alert color={result.failed.length ? 'orange' : 'green'} variant="light" role="status">
            <Text size="sm">{t('isolation.done', { count: result.isolated.length })}</Text>
            {result.failed.length > 0 && (
              <List size="sm">
                {result.failed.map((f) => (
                  <List.Item key={f.subscription_id}>{f.message}</List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
        <LoadState state={preview}>
          {(p) =>
            p.items.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t('isolation.none')}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={640}>
                <Table striped aria-label={t('isolation.title')}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('subscriptions.customer')}</Table.Th>
                      <Table.Th>{t('subscriptions.login')}</Table.Th>
                      <Table.Th>{t('invoices.number')}</Table.Th>
                      <Table.Th ta="right">{t('invoices.owed')}</Table.Th>
                      <Table.Th>{t('invoices.due_on')}</Table.Th>
                      <Table.Th>{t('isolation.isolate_after')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {p.items.map((c) => (
                      <Table.Tr key={c.subscription_id}>
                        <Table.Td>{c.customer_name}</Table.Td>
                        <Table.Td>{c.login}</Table.Td>
                        <Table.Td>{c.invoice_number}</Table.Td>
                        <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>{formatRupiah(c.owed)}</Table.Td>
                        <Table.Td>{formatDate(c.due_on)}</Table.Td>
                        <Table.Td>{formatDate(c.isolate_after)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </LoadState>
      </Stack>
    </Card>
  );
}

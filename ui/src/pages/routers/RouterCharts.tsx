import { LineChart } from '@mantine/charts';
import { Card, Group, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { RouterSamplePoint } from '../../api/types';
import { LoadState } from '../../components/LoadState';
import { keys } from '../../lib/queryKeys';

const RANGES = ['1', '6', '24', '168'] as const;

/** Bits per second in Mbps with one decimal. */
export function toMbps(bps: number | null | undefined): number {
  return Math.round(((bps ?? 0) / 1_000_000) * 10) / 10;
}

function timeLabel(at: string, hours: number): string {
  const d = new Date(at);
  return hours > 24
    ? d.toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' })
    : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** CPU, memory, active users and traffic of one router, one point a minute (kept 7 days). */
export function RouterCharts({ routerId }: { routerId: string }) {
  const { t } = useTranslation();
  const [range, setRange] = useState<(typeof RANGES)[number]>('6');
  const hours = Number(range);
  const samples = useQuery({
    queryKey: keys.routers.samples(routerId, hours),
    queryFn: () => unwrap(api.GET('/api/routers/{id}/samples', { params: { path: { id: routerId }, query: { hours } } })),
  });
  return (
    <Stack gap="md" data-testid="router-charts">
      <Group justify="flex-end">
        <SegmentedControl
          size="xs"
          value={range}
          onChange={(v) => setRange(v as (typeof RANGES)[number])}
          data={RANGES.map((r) => ({ value: r, label: t(`routers.charts.range_${r}`) }))}
        />
      </Group>
      <LoadState state={samples}>{(data) => <Charts points={data.items} hours={hours} />}</LoadState>
    </Stack>
  );
}

function Charts({ points, hours }: { points: RouterSamplePoint[]; hours: number }) {
  const { t } = useTranslation();
  if (points.length === 0) {
    return (
      <Text c="dimmed" size="sm" data-testid="router-charts-empty">
        {t('routers.charts.none')}
      </Text>
    );
  }
  const data = points.map((p) => ({
    at: timeLabel(p.at, hours),
    cpu: p.cpu_load,
    memory: Math.round(p.memory_used_percent * 10) / 10,
    hotspot: p.hotspot_active,
    pppoe: p.pppoe_active,
    rx: toMbps(p.rx_bps),
    tx: toMbps(p.tx_bps),
  }));
  const chart = (title: string, testId: string, unit: string, series: { name: string; label: string; color: string }[]) => (
    <Card withBorder padding="sm" data-testid={testId}>
      <Title order={4} size="h6" mb="xs">
        {title}
      </Title>
      <LineChart
        h={180}
        data={data}
        dataKey="at"
        series={series}
        unit={unit}
        withLegend
        withDots={data.length < 30}
        curveType="monotone"
      />
    </Card>
  );
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      {chart(t('routers.charts.load'), 'chart-load', '%', [
        { name: 'cpu', label: t('routers.charts.cpu'), color: 'red.6' },
        { name: 'memory', label: t('routers.charts.memory'), color: 'blue.6' },
      ])}
      {chart(t('routers.charts.users'), 'chart-users', '', [
        { name: 'pppoe', label: t('routers.charts.pppoe'), color: 'teal.6' },
        { name: 'hotspot', label: t('routers.charts.hotspot'), color: 'grape.6' },
      ])}
      {chart(t('routers.charts.traffic'), 'chart-traffic', ' Mbps', [
        { name: 'rx', label: t('routers.charts.rx'), color: 'indigo.6' },
        { name: 'tx', label: t('routers.charts.tx'), color: 'orange.6' },
      ])}
    </SimpleGrid>
  );
}

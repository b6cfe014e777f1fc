import { Alert, Anchor, Badge, Button, Card, Chip, Code, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ShopDeliveryOutcome, ShopOrder } from '../../api/types';
import { errorTitle } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { formatDateTime } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { ORDER_FILTERS, isOrderFilter, localPhone, orderDelivery } from '../../lib/shop';
import type { OrderFilter } from '../../lib/shop';
import { waNumber } from '../../lib/whatsapp';

/** The newest orders shown (the server's limit is 500). */
const LIMIT = 200;

const OUTCOME_COLORS: Record<ShopDeliveryOutcome, string> = {
  delivered: 'green',
  already_delivered: 'green',
  in_progress: 'blue',
  failed: 'orange',
  not_paid: 'gray',
};

/**
 * The shop's orders, newest first, filtered by `?status=` (all, not paid, paid, not delivered,
 * to review). Paid orders refresh themselves: the server's shop_order_paid / shop_order_changed
 * events invalidate `keys.shop` orders (lib/eventKeys.ts).
 */
export function ShopOrders({ canDeliver, canReview }: { canDeliver: boolean; canReview: boolean }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('status');
  const filter: OrderFilter = isOrderFilter(requested) ? requested : 'all';
  const query = { status: filter, limit: LIMIT };
  const orders = useQuery({
    queryKey: keys.shop.orders(query),
    queryFn: () => unwrap(api.GET('/api/shop/orders', { params: { query } })),
  });
  const setFilter = (value: string) => setParams(value && value !== 'all' ? { status: value } : {}, { replace: true });

  return (
    <Card withBorder padding="lg" radius="md" component="section" aria-labelledby="shop-orders-title" data-testid="shop-orders">
      <Stack gap="sm">
        <Title order={3} size="h4" id="shop-orders-title">
          {t('vouchers.shop.orders_title')}
        </Title>
        <Chip.Group multiple={false} value={filter} onChange={setFilter}>
          <Group gap="xs" wrap="wrap" role="radiogroup" aria-label={t('vouchers.shop.filter_label')}>
            {ORDER_FILTERS.map((f) => (
              <Chip key={f} value={f} size="sm" data-testid={`shop-filter-${f}`}>
                {t(`vouchers.shop.filter.${f}`)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        <LoadState state={orders}>{(data) => <OrdersTable items={data.items} filter={filter} canDeliver={canDeliver} canReview={canReview} />}</LoadState>
      </Stack>
    </Card>
  );
}

function OrdersTable({
  items,
  filter,
  canDeliver,
  canReview,
}: {
  items: ShopOrder[];
  filter: OrderFilter;
  canDeliver: boolean;
  canReview: boolean;
}) {
  const { t } = useTranslation();
  if (items.length === 0) {
    return (
      <Text c="dimmed" size="sm" data-testid="shop-orders-empty">
        {filter === 'all' ? t('vouchers.shop.empty') : t('vouchers.shop.empty_filtered')}
      </Text>
    );
  }
  const anyReview = items.some((o) => o.review);
  return (
    <Stack gap="sm">
      {anyReview && (
        <Alert color="orange" variant="light" data-testid="shop-review-hint">
          {t('vouchers.shop.review_hint')}
        </Alert>
      )}
      {/* No fixed widths: the long cells wrap, so the list fits a 1280 px laptop. */}
      <Table.ScrollContainer minWidth={720}>
        <Table striped highlightOnHover verticalSpacing="xs" aria-label={t('vouchers.shop.orders_title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('vouchers.shop.col.number')}</Table.Th>
              <Table.Th>{t('vouchers.shop.col.time')}</Table.Th>
              <Table.Th>{t('vouchers.shop.col.profile')}</Table.Th>
              <Table.Th ta="right">{t('vouchers.shop.col.amount')}</Table.Th>
              <Table.Th>{t('vouchers.shop.col.buyer')}</Table.Th>
              <Table.Th>{t('vouchers.shop.col.status')}</Table.Th>
              <Table.Th>{t('vouchers.shop.col.delivery')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((o) => (
              <OrderRow key={o.id} order={o} canDeliver={canDeliver} canReview={canReview} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {items.length >= LIMIT && (
        <Text size="xs" c="dimmed">
          {t('vouchers.shop.limit_note', { count: LIMIT })}
        </Text>
      )}
    </Stack>
  );
}

function OrderRow({ order: o, canDeliver, canReview }: { order: ShopOrder; canDeliver: boolean; canReview: boolean }) {
  const { t } = useTranslation();
  const delivery = orderDelivery(o);
  const phone = o.buyer_phone ? waNumber(o.buyer_phone) : null;
  return (
    <Table.Tr data-testid="shop-order-row" data-number={o.number} data-status={o.status} data-delivery={delivery}>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm" fw={500}>
          #{o.number}
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">{formatDateTime(o.created_at)}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{o.profile_name}</Text>
        <Text size="xs" c="dimmed">
          {o.router_name}
        </Text>
      </Table.Td>
      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">{formatRupiah(o.amount)}</Text>
      </Table.Td>
      <Table.Td>
        {phone ? (
          <Anchor
            href={`https://wa.me/${phone}`}
            target="_blank"
            rel="noopener noreferrer"
            size="sm"
            aria-label={t('vouchers.shop.chat_buyer', { phone: localPhone(phone) })}
          >
            {localPhone(phone)}
          </Anchor>
        ) : (
          <Text size="sm">{o.buyer_phone || t('vouchers.shop.no_phone')}</Text>
        )}
      </Table.Td>
      <Table.Td>
        <Stack gap={2} align="flex-start">
          <Badge variant="light" miw="max-content" color={o.status === 'paid' ? 'green' : 'yellow'}>
            {o.status === 'paid' ? t('vouchers.shop.status.paid') : o.status === 'open' ? t('vouchers.shop.status.open') : o.status}
          </Badge>
          {o.paid_at && (
            <Text size="xs" c="dimmed">
              {t('vouchers.shop.paid_at', { at: formatDateTime(o.paid_at) })}
            </Text>
          )}
          {o.paid_with && (
            <Text size="xs" c="dimmed">
              {t('vouchers.shop.paid_with', { method: o.paid_with })}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          {delivery === 'delivered' && o.voucher_code && (
            <Code fz="sm" data-testid="shop-order-code">
              {o.voucher_code}
            </Code>
          )}
          {delivery === 'waiting' && <Waiting order={o} canDeliver={canDeliver} />}
          {delivery === 'not_paid' && (
            <Text size="sm" c="dimmed">
              —
            </Text>
          )}
          {o.review && (
            <Text size="xs" c="red.8" fw={500} style={{ overflowWrap: 'anywhere' }} data-testid="shop-order-review">
              {t('vouchers.shop.review', { text: o.review })}
            </Text>
          )}
          {o.review && o.review_payment_id && canReview && <ReviewButtons order={o} paymentId={o.review_payment_id} />}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

/** Paid, no voucher yet: why (the router's answer), how often it was tried, "Kirim sekarang". */
function Waiting({ order: o, canDeliver }: { order: ShopOrder; canDeliver: boolean }) {
  const { t } = useTranslation();
  const status = (
    <Text size="sm" c="orange.8" fw={500}>
      {t('vouchers.shop.waiting')}
    </Text>
  );
  return (
    <>
      {o.delivery_error ? (
        <Tooltip label={o.delivery_error} multiline w={320}>
          {status}
        </Tooltip>
      ) : (
        status
      )}
      <Text size="xs" c="dimmed" lineClamp={2} style={{ overflowWrap: 'anywhere' }} data-testid="shop-order-error">
        {t('vouchers.shop.attempts', { count: o.delivery_attempts })}
        {o.delivery_error ? ` · ${o.delivery_error}` : ''}
      </Text>
      {canDeliver && <DeliverButton order={o} />}
    </>
  );
}

/** "Kirim sekarang": makes the paid order's voucher now (at most one voucher per order). */
function DeliverButton({ order }: { order: ShopOrder }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const deliver = useMutation({
    mutationFn: () => unwrap(api.POST('/api/shop/orders/{id}/deliver', { params: { path: { id: order.id } } })),
    onSuccess: (result) => {
      notifications.show({
        color: OUTCOME_COLORS[result.outcome] ?? 'gray',
        title: t('vouchers.shop.deliver_title', { number: order.number }),
        message: t(`vouchers.shop.outcome.${result.outcome}`, { code: result.order.voucher_code ?? '' }),
      });
    },
    onError: (e) => {
      const error = asApiError(e);
      notifications.show({ color: 'red', title: errorTitle(error, t), message: error.kind === 'network' ? '' : error.message });
    },
    onSettled: () => void invalidate(keys.shop.ordersAll(), keys.vouchers.all, keys.dashboard.all),
  });
  return (
    <Button
      size="compact-sm"
      variant="light"
      loading={deliver.isPending}
      onClick={() => deliver.mutate()}
      aria-label={t('vouchers.shop.deliver_label', { number: order.number })}
      data-testid="shop-deliver"
    >
      {t('vouchers.shop.deliver_now')}
    </Button>
  );
}

/**
 * The owner's decision on a payment held for review: another amount than the price (accept it,
 * so the voucher is made, or refuse it), or a second payment of a paid order (mark it refunded).
 */
function ReviewButtons({ order, paymentId }: { order: ShopOrder; paymentId: string }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const review = useMutation({
    mutationFn: (accept: boolean) =>
      unwrap(api.POST('/api/shop/payments/{id}/review', { params: { path: { id: paymentId } }, body: { accept } })),
    onSuccess: () => notifications.show({ color: 'green', message: t('vouchers.shop.reviewed', { number: order.number }) }),
    onError: (e) => {
      const error = asApiError(e);
      notifications.show({ color: 'red', title: errorTitle(error, t), message: error.kind === 'network' ? '' : error.message });
    },
    onSettled: () => void invalidate(keys.shop.ordersAll(), keys.dashboard.all),
  });
  if (order.status === 'paid') {
    return (
      <Button size="compact-sm" variant="light" loading={review.isPending} onClick={() => review.mutate(true)} data-testid="shop-refunded">
        {t('vouchers.shop.mark_refunded')}
      </Button>
    );
  }
  return (
    <Group gap="xs" wrap="wrap">
      <Button size="compact-sm" variant="light" color="green" loading={review.isPending} onClick={() => review.mutate(true)} data-testid="shop-accept">
        {t('vouchers.shop.accept_amount')}
      </Button>
      <Button size="compact-sm" variant="light" color="red" loading={review.isPending} onClick={() => review.mutate(false)} data-testid="shop-refuse">
        {t('vouchers.shop.refuse_amount')}
      </Button>
    </Group>
  );
}

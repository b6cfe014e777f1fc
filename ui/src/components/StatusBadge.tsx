import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const COLORS = {
  invoice: { unpaid: 'red', partial: 'yellow', paid: 'green', carried_over: 'grape', void: 'gray' },
  subscription: { active: 'green', isolated: 'orange', terminated: 'gray' },
  customer: { active: 'green', inactive: 'gray' },
  payment: { pending: 'yellow', paid: 'green', failed: 'red', expired: 'gray' },
  voucher: { unused: 'blue', active: 'green', disabled: 'orange', expired: 'gray', removed: 'dark' },
  batch: { creating: 'yellow', ready: 'green', failed: 'red' },
  provisioning: { provisioned: 'green', pending: 'yellow', failed: 'red', removed: 'gray', no_router: 'gray' },
} as const;

type Kind = keyof typeof COLORS;

/** A coloured, translated status label (invoice, subscription, customer, payment, voucher, batch, provisioning). */
export function StatusBadge({ kind, status, testId }: { kind: Kind; status: string; testId?: string }) {
  const { t } = useTranslation();
  const colors = COLORS[kind] as Record<string, string>;
  return (
    <Badge color={colors[status] ?? 'gray'} variant="light" miw="max-content" data-testid={testId} data-status={status}>
      {t(`status.${kind}.${status}` as 'status.invoice.unpaid', { defaultValue: status })}
    </Badge>
  );
}

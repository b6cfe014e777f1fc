import { Alert, Anchor, Button, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { Invoice, PayLink } from '../../api/types';
import { FormError } from '../../components/FormError';
import { formatDateTime } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { payMessage, waLink, waNumber } from '../../lib/whatsapp';

const GATEWAY_NAMES: Record<string, string> = { duitku: 'Duitku', tripay: 'Tripay', midtrans: 'Midtrans', xendit: 'Xendit' };
const gatewayName = (code?: string | null) => (code ? (GATEWAY_NAMES[code] ?? code) : 'gateway');

/** "Tautan bayar": asks the server for a new pay link and offers copy, open and WhatsApp. */
export function PayLinkButton({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<PayLink | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const start = async () => {
    setOpen(true);
    setBusy(true);
    setError(null);
    setLink(null);
    try {
      setLink(await unwrap(api.GET('/api/invoices/{id}/pay', { params: { path: { id: invoice.id } } })));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  // The gateway's checkout page when the shop pays without a public address, else the pay page.
  const sendUrl = link?.checkout_url ?? link?.url ?? '';
  const sendExpires = link?.checkout_url ? (link.checkout_expires_at ?? link.expires_at) : link?.expires_at;
  const message = link
    ? payMessage({
        customer: invoice.customer_name,
        number: invoice.number,
        owed: invoice.owed,
        url: sendUrl,
        expiresAt: sendExpires ?? link.expires_at,
      })
    : '';
  const owed = formatRupiah(invoice.owed);
  const intro = !link
    ? ''
    : link.checkout_url
      ? t('paylink.intro_checkout', { owed, gateway: gatewayName(link.checkout_gateway) })
      : link.online_payment
        ? t('paylink.intro_online', { owed })
        : link.bank_transfer
          ? t('paylink.intro_transfer', { owed })
          : t('paylink.intro_counter', { owed });
  // The pay page only opens for the customer on a reachable public address.
  const warning =
    link && !link.checkout_url && link.public_address !== 'reachable'
      ? link.public_address === 'loopback'
        ? t('paylink.warn_loopback')
        : link.public_address === 'unchecked'
          ? t('paylink.warn_unchecked')
          : t('paylink.warn_not_set')
      : null;

  return (
    <>
      <Button variant="light" loading={busy} onClick={() => void start()}>
        {t('paylink.button')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('paylink.title', { number: invoice.number })} size="lg" centered>
        <Stack>
          <FormError error={error} />
          {link && (
            <>
              <Text size="sm" data-testid="pay-link-intro">
                {intro}
              </Text>
              {link.checkout_error && (
                <Alert color="yellow" variant="light" data-testid="pay-link-checkout-error">
                  {t('paylink.checkout_failed', { message: link.checkout_error })}
                </Alert>
              )}
              {warning && (
                <Alert color="red" variant="light" role="alert" data-testid="pay-link-warning">
                  <Stack gap={4}>
                    <Text size="sm">{warning}</Text>
                    <Anchor component={Link} to="/settings?tab=public" size="sm">
                      {t('paylink.warn_fix')}
                    </Anchor>
                  </Stack>
                </Alert>
              )}
              <TextInput
                data-autofocus
                label={link.checkout_url ? t('paylink.checkout_link') : t('paylink.link')}
                description={t('paylink.expires', { when: formatDateTime(sendExpires ?? link.expires_at) })}
                value={sendUrl}
                readOnly
                onFocus={(e) => e.currentTarget.select()}
                data-testid="pay-link-url"
              />
              {!waNumber(invoice.customer_phone) && (
                <Alert color="yellow" variant="light">
                  {t('paylink.no_phone')}
                </Alert>
              )}
              <Group justify="flex-end" gap="xs">
                <CopyButton value={sendUrl}>
                  {({ copied, copy }) => (
                    <Button variant="default" color={copied ? 'teal' : undefined} onClick={copy}>
                      {copied ? t('paylink.copied') : t('paylink.copy')}
                    </Button>
                  )}
                </CopyButton>
                <Button variant="default" component="a" href={sendUrl} target="_blank" rel="noopener noreferrer">
                  {t('paylink.open')}
                </Button>
                <Button
                  component="a"
                  color="green"
                  href={waLink(invoice.customer_phone, message)}
                  target="_blank"
                  rel="noopener noreferrer"
                  data-testid="pay-link-whatsapp"
                >
                  {t('paylink.whatsapp')}
                </Button>
              </Group>
            </>
          )}
          <Group justify="flex-end">
            <Button variant="subtle" onClick={() => setOpen(false)}>
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

import { Alert, Button, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { Invoice, PayLink } from '../../api/types';
import { FormError } from '../../components/FormError';
import { formatDateTime } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { payMessage, waLink, waNumber } from '../../lib/whatsapp';

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

  const message = link
    ? payMessage({
        customer: invoice.customer_name,
        number: invoice.number,
        owed: invoice.owed,
        url: link.url,
        expiresAt: link.expires_at,
      })
    : '';

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
              <Text size="sm">{t('paylink.intro', { owed: formatRupiah(invoice.owed) })}</Text>
              <TextInput data-autofocus
                label={t('paylink.link')}
                description={t('paylink.expires', { when: formatDateTime(link.expires_at) })}
                value={link.url}
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
                <CopyButton value={link.url}>
                  {({ copied, copy }) => (
                    <Button variant="default" color={copied ? 'teal' : undefined} onClick={copy}>
                      {copied ? t('paylink.copied') : t('paylink.copy')}
                    </Button>
                  )}
                </CopyButton>
                <Button variant="default" component="a" href={link.url} target="_blank" rel="noopener noreferrer">
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

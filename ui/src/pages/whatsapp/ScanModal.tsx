import { Alert, Button, Center, Code, Group, Image, Loader, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { WaPairing, WaSession } from '../../api/types';
import { FormError } from '../../components/FormError';

/** "Pindai QR": asks the self-hosted gateway (WAHA, GOWA) for a QR image, QR text or code. */
export function ScanModal({ session, onClose }: { session: WaSession | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [pairing, setPairing] = useState<WaPairing | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!session) return;
    let cancelled = false;
    setPairing(null);
    setError(null);
    setBusy(true);
    unwrap(api.POST('/api/whatsapp/sessions/scan', { body: { session_id: session.id } }))
      .then((data) => {
        if (!cancelled) setPairing(data as unknown as WaPairing);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(asApiError(e));
      })
      .finally(() => {
        if (!cancelled) setBusy(false);
      });
    return () => {
      cancelled = true;
    };
  }, [session, tick]);

  return (
    <Modal
      opened={session !== null}
      onClose={onClose}
      title={t('whatsapp.scan.title', { name: session?.name ?? '' })}
      centered
    >
      <Stack data-testid="wa-scan">
        {busy && (
          <Center p="lg">
            <Loader aria-label={t('common.loading')} />
          </Center>
        )}
        <FormError error={error} />
        {pairing && <PairingView pairing={pairing} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setTick((n) => n + 1)} disabled={busy}>
            {t('whatsapp.scan.again')}
          </Button>
          <Button onClick={onClose}>{t('common.close')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function PairingView({ pairing }: { pairing: WaPairing }) {
  const { t } = useTranslation();
  switch (pairing.kind) {
    case 'qr_image':
      return (
        <Stack gap="xs" align="center">
          <Text size="sm">{t('whatsapp.scan.help')}</Text>
          <Image
            src={`data:${pairing.mimetype || 'image/png'};base64,${pairing.base64}`}
            alt={t('whatsapp.scan.qr_alt')}
            w={280}
            h={280}
            fit="contain"
          />
        </Stack>
      );
    case 'qr_text':
      return (
        <Stack gap="xs">
          <Text size="sm">{t('whatsapp.scan.qr_text')}</Text>
          <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="wa-qr-text">
            {pairing.value}
          </Code>
        </Stack>
      );
    case 'code':
      return (
        <Stack gap="xs" align="center">
          <Text size="sm">{t('whatsapp.scan.code')}</Text>
          <Text ff="monospace" fz={32} fw={700} lts={4} data-testid="wa-pair-code">
            {pairing.code}
          </Text>
        </Stack>
      );
    default:
      return (
        <Alert color="green" variant="light">
          {t('whatsapp.scan.already')}
        </Alert>
      );
  }
}

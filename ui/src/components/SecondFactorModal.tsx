import { Alert, Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useServerError } from '../lib/formErrors';
import { useInvalidate } from '../lib/queryClient';
import { keys } from '../lib/queryKeys';
import { FormError } from './FormError';
import { LoadState } from './LoadState';

/** Owner/admin: turn the TOTP second factor on (secret + confirm code) or off (code). */
export function SecondFactorModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const status = useQuery({
    queryKey: keys.totp.status(),
    queryFn: () => unwrap(api.GET('/api/auth/totp')),
    enabled: opened,
  });
  const [setup, setSetup] = useState<{ secret: string; otpauth_url: string } | null>(null);
  const form = useForm({ initialValues: { code: '' } });
  const serverError = useServerError(form);
  // Each action first forgets the last failure; a failure naming `code` goes under the field.
  const failures = {
    onMutate: () => {
      serverError.clear();
      form.clearErrors();
    },
    onError: (e: unknown) => serverError.show(e),
  };

  const start = useMutation({
    mutationFn: () => unwrap(api.POST('/api/auth/totp/setup')),
    ...failures,
    onSuccess: (secret) => setSetup(secret),
  });
  const toggle = useMutation({
    mutationFn: (action: 'enable' | 'disable') =>
      unwrap(
        api.POST(action === 'enable' ? '/api/auth/totp/enable' : '/api/auth/totp/disable', { body: { code: form.values.code } }),
      ),
    ...failures,
    onSuccess: () => {
      form.setValues({ code: '' });
      setSetup(null);
      void invalidate(keys.totp.all);
    },
  });
  const busy = start.isPending || toggle.isPending;

  return (
    <Modal opened={opened} onClose={onClose} title={t('totp.title')}>
      <LoadState state={status}>
        {(s) => (
          <Stack>
            <Alert variant="light" color={s.enabled ? 'green' : 'blue'}>
              {s.enabled ? t('totp.on') : t('totp.off')}
            </Alert>
            {!s.enabled && !setup && (
              <Button loading={busy} onClick={() => start.mutate()}>
                {t('totp.start')}
              </Button>
            )}
            {setup && (
              <Stack gap={4}>
                <Text size="sm">{t('totp.secret')}</Text>
                <Code block data-testid="totp-secret">
                  {setup.secret}
                </Code>
                <Text size="sm">{t('totp.link')}</Text>
                <Code block>{setup.otpauth_url}</Code>
              </Stack>
            )}
            {(setup || s.enabled) && (
              <TextInput data-autofocus
                label={t('totp.code')}
                inputMode="numeric"
                maxLength={6}
                {...form.getInputProps('code')}
              />
            )}
            <FormError error={serverError.error} />
            <Group justify="flex-end">
              {setup && (
                <Button loading={busy} onClick={() => toggle.mutate('enable')}>
                  {t('totp.enable')}
                </Button>
              )}
              {s.enabled && (
                <Button color="red" variant="light" loading={busy} onClick={() => toggle.mutate('disable')}>
                  {t('totp.disable')}
                </Button>
              )}
            </Group>
          </Stack>
        )}
      </LoadState>
    </Modal>
  );
}

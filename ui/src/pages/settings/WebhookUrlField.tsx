import { Alert, Anchor, Button, CopyButton, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { webhookUrl } from './gatewayFields';

/**
 * The callback URL to paste into the gateway's own dashboard. Built from the public address;
 * `publicBase` undefined = not loaded (nothing shown), empty = not set yet (a hint instead).
 */
export function WebhookUrlField({ code, name, publicBase }: { code: string; name: string; publicBase: string | null | undefined }) {
  const { t } = useTranslation();
  if (publicBase === undefined) return null;
  const url = webhookUrl(publicBase, code);
  if (!url) {
    return (
      <Alert color="yellow" variant="light" title={t('gateways.webhook_url')} data-testid="gateway-webhook-missing">
        <Text size="sm">{t('gateways.webhook_needs_public')}</Text>
        <Anchor component={Link} to="/settings?tab=public" size="sm">
          {t('gateways.webhook_open_public')}
        </Anchor>
      </Alert>
    );
  }
  return (
    <TextInput
      label={t('gateways.webhook_url')}
      description={t('gateways.webhook_hint', { name })}
      value={url}
      readOnly
      onFocus={(e) => e.currentTarget.select()}
      data-testid="gateway-webhook"
      rightSectionWidth={90}
      rightSection={
        <CopyButton value={url}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="light" color={copied ? 'teal' : undefined} onClick={copy}>
              {copied ? t('gateways.copied') : t('gateways.copy')}
            </Button>
          )}
        </CopyButton>
      }
    />
  );
}

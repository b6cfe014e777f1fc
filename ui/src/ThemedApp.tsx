import { MantineProvider } from '@mantine/core';
import type { ReactNode } from 'react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { themeFor } from './theme';

/** Mantine with the theme in the current language (named close buttons; see themeFor). */
export function ThemedApp({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const close = t('common.close_dialog');
  const dismiss = t('common.dismiss');
  const theme = useMemo(() => themeFor(close, dismiss), [close, dismiss, i18n.language]);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      {children}
    </MantineProvider>
  );
}

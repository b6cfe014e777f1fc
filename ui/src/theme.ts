import { Alert, Badge, Drawer, Modal, Notification, createTheme } from '@mantine/core';
import type { MantineThemeOverride } from '@mantine/core';

const base = {
  primaryColor: 'teal',
  defaultRadius: 'md',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
} as const;

/**
 * The theme with the icon-only close buttons of every dialog, drawer, alert and notification
 * named in the current language ("Tutup dialog", "Tutup pemberitahuan"), so a screen reader
 * says what they do.
 */
export function themeFor(closeLabel: string, dismissLabel: string): MantineThemeOverride {
  const close = { 'aria-label': closeLabel, title: closeLabel };
  const dismiss = { 'aria-label': dismissLabel, title: dismissLabel };
  return createTheme({
    ...base,
    components: {
      // A status badge is never cut to "AKT…": it takes the width of its text.
      Badge: Badge.extend({ styles: { root: { minWidth: 'max-content', flexShrink: 0 } } }),
      Modal: Modal.extend({ defaultProps: { closeButtonProps: close } }),
      Drawer: Drawer.extend({ defaultProps: { closeButtonProps: close } }),
      Alert: Alert.extend({ defaultProps: { closeButtonLabel: dismissLabel } }),
      Notification: Notification.extend({ defaultProps: { closeButtonProps: dismiss } }),
    },
  });
}

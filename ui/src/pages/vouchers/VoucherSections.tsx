import { Button, Group, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation } from 'react-router';
import { useAuth } from '../../auth/AuthContext';
import { SECTION_PERMISSION, VOUCHER_SECTIONS, can } from '../../layout/areas';

/**
 * The voucher area: its sections as a row of tabs above each page (the menu has one "Voucher"
 * entry, so it fits a laptop screen). `/vouchers` opens the first section the role may use.
 */
export function VoucherSections() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const { user } = useAuth();
  const sections = VOUCHER_SECTIONS.filter((s) => can(user, SECTION_PERMISSION[s.path] ?? ''));
  if (pathname === '/vouchers' || pathname === '/vouchers/') {
    const first = sections.find((s) => s.key === 'batches') ?? sections[0];
    return first ? <Navigate to={first.path} replace /> : null;
  }
  return (
    <Stack gap="md">
      <Group component="nav" aria-label={t('nav.vouchers_sections')} data-section-nav gap={4} wrap="wrap" className="no-print">
        {sections.map((s) => {
          const current = pathname === s.path || pathname.startsWith(`${s.path}/`);
          return (
            <Button
              key={s.key}
              component={Link}
              to={s.path}
              size="compact-sm"
              variant={current ? 'light' : 'subtle'}
              color={current ? undefined : 'gray'}
              aria-current={current ? 'page' : undefined}
            >
              {t(`nav.vouchers_${s.key}`)}
            </Button>
          );
        })}
      </Group>
      <Outlet />
    </Stack>
  );
}

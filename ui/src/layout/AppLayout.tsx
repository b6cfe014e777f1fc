import { AppShell, Burger, Group, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { isReseller, useAuth } from '../auth/AuthContext';
import { AlertsBadge } from '../components/AlertsBadge';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { UserMenu } from '../components/UserMenu';
import { LiveQueries } from '../lib/LiveQueries';
import { AREAS, AREA_PERMISSION, AREA_SECTIONS, RESELLER_AREAS, SECTION_PERMISSION, can } from './areas';

function isActive(pathname: string, path: string): boolean {
  return path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`);
}

/** Staff navigation: every area; an area with sections opens into sub-links while inside it. */
function StaffNav({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const { user } = useAuth();
  const [expanded, setExpanded] = useState<string | null>(null);
  return (
    <>
      {AREAS.filter((area) => can(user, AREA_PERMISSION[area.key])).map((area) => {
        const active = isActive(pathname, area.path);
        const sections = AREA_SECTIONS[area.key]?.filter((s) => can(user, SECTION_PERMISSION[s.path] ?? ''));
        if (!sections) {
          return (
            <NavLink
              key={area.key}
              component={Link}
              to={area.path}
              label={t(`nav.${area.key}`)}
              active={active}
              aria-current={active ? 'page' : undefined}
              onClick={onNavigate}
            />
          );
        }
        return (
          <NavLink
            key={area.key}
            component="button"
            label={t(`nav.${area.key}`)}
            active={active}
            opened={active || expanded === area.key}
            onChange={(open) => setExpanded(open ? area.key : null)}
          >
            {sections.map((section) => {
              const current = isActive(pathname, section.path);
              return (
                <NavLink
                  key={section.key}
                  component={Link}
                  to={section.path}
                  label={t(`nav.${area.key}_${section.key}` as 'nav.vouchers_profiles')}
                  active={current}
                  aria-current={current ? 'page' : undefined}
                  onClick={onNavigate}
                />
              );
            })}
          </NavLink>
        );
      })}
    </>
  );
}

/** Reseller navigation: only their own pages. */
function ResellerNav({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <>
      {RESELLER_AREAS.map((area) => {
        const active = isActive(pathname, area.path);
        return (
          <NavLink
            key={area.key}
            component={Link}
            to={area.path}
            label={t(`nav.reseller_${area.key}`)}
            active={active}
            aria-current={active ? 'page' : undefined}
            onClick={onNavigate}
          />
        );
      })}
    </>
  );
}

/** The signed-in shell: header (name, language, user menu) + navbar with every area. */
export function AppLayout() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const [opened, { toggle, close }] = useDisclosure(false);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('nav.toggle')}
            />
            <Title order={1} size="h3">
              {t('app.name')}
            </Title>
            <Text size="sm" c="dimmed" visibleFrom="md">
              {t('app.tagline')}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {!isReseller(user) && <AlertsBadge />}
            <LanguageSwitcher />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.label')}>
        <ScrollArea type="auto">
          {isReseller(user) ? <ResellerNav onNavigate={close} /> : <StaffNav onNavigate={close} />}
        </ScrollArea>
      </AppShell.Navbar>

      <AppShell.Main>
        {!isReseller(user) && can(user, 'dashboard_view') && <LiveQueries />}
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

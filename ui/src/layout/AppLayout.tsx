import { AppShell, Burger, Group, NavLink, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { isReseller, useAuth } from '../auth/AuthContext';
import { AlertsBadge } from '../components/AlertsBadge';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { UserMenu } from '../components/UserMenu';
import { LiveQueries } from '../lib/LiveQueries';
import { AREAS, AREA_PERMISSION, NAV_GROUPS, RESELLER_AREAS, can } from './areas';

function isActive(pathname: string, path: string): boolean {
  return path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`);
}

/** Compact rows: the grouped menu fits a 720 px high screen without scrolling. */
const NAV_ROW = { root: { paddingTop: 3, paddingBottom: 3 }, label: { lineHeight: 1.3 } } as const;

/** Staff navigation: the areas the role may use, in groups under short headings. */
function StaffNav({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const { user } = useAuth();
  return (
    <Stack gap={2}>
      {NAV_GROUPS.map((group) => {
        const areas = AREAS.filter((a) => group.areas.includes(a.key) && can(user, AREA_PERMISSION[a.key]))
          .sort((a, b) => group.areas.indexOf(a.key) - group.areas.indexOf(b.key));
        if (areas.length === 0) return null;
        const headingId = `nav-group-${group.key}`;
        return (
          <div key={group.key} role="group" aria-labelledby={group.key === 'home' ? undefined : headingId}>
            {group.key !== 'home' && (
              <Text id={headingId} size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt={2} pb={0}>
                {t(`nav.groups.${group.key}` as 'nav.groups.billing')}
              </Text>
            )}
            {areas.map((area) => {
              const active = isActive(pathname, area.path);
              return (
                <NavLink
                  key={area.key}
                  component={Link}
                  to={area.path}
                  label={t(`nav.${area.key}`)}
                  active={active}
                  aria-current={active ? 'page' : undefined}
                  onClick={onNavigate}
                  styles={NAV_ROW}
                />
              );
            })}
          </div>
        );
      })}
    </Stack>
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

const MAIN_ID = 'main-content';

/** The signed-in shell: header (name, language, user menu) + navbar with every area. */
export function AppLayout() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const [opened, { toggle, close }] = useDisclosure(false);
  // "Lewati ke konten": the first Tab stop; moves focus past the header and the menu.
  const skipToContent = (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    document.getElementById(MAIN_ID)?.focus();
  };

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href={`#${MAIN_ID}`} className="skip-link" onClick={skipToContent}>
        {t('nav.skip_to_content')}
      </a>
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

      <AppShell.Main id={MAIN_ID} tabIndex={-1} className="app-main">
        {!isReseller(user) && can(user, 'dashboard_view') && <LiveQueries />}
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

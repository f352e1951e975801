import { Alert, Anchor, AppShell, Burger, Button, Group, Loader, NavLink, Select, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { api } from '../api';
import { useLiveAlerts } from '../features/reports/useLiveAlerts';
import { useSession } from '../session';
import { LanguageSelect } from './LanguageSelect';

/** The signed-in frame: crisis line, switchers, navigation, and the page. */
export function AppLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [opened, { toggle, close }] = useDisclosure();
  // Everyone signed in listens: proctors (often teachers) get the "keep the student with you" alert.
  const live = useLiveAlerts(Boolean(session.me && !session.me.mfaPending));
  if (session.loading) return <Loader aria-label={t('app.loading')} m="xl" />;
  const me = session.me;
  if (!me) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  if (me.mfaPending && location.pathname !== '/account') return <Navigate to="/account" replace />;

  const signOut = async () => {
    await api('POST', '/api/v1/auth/logout').catch(() => undefined);
    await session.refresh();
    navigate('/sign-in');
  };
  const switchDistrict = async (districtId: string | null) => {
    if (!districtId || districtId === me.district?.id) return;
    await api('PUT', '/api/v1/me/district', { districtId });
    session.setSchoolId(null);
    await session.refresh();
    navigate('/students');
  };

  return (
    <AppShell header={{ height: 64 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a href="#main" className="skip-link">
        {t('app.skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.main')} />
            <Anchor component={Link} to="/students" fw={700} size="lg" underline="never">
              {t('app.name')}
            </Anchor>
            {me.districts.length > 1 ? (
              <Select
                aria-label={t('switcher.district')}
                data={me.districts.map((d) => ({ value: d.id, label: d.name }))}
                value={me.district?.id ?? null}
                onChange={switchDistrict}
                allowDeselect={false}
                w={220}
              />
            ) : (
              <Text visibleFrom="sm">{me.district?.name}</Text>
            )}
            {me.schools.length > 1 && (
              <Select
                aria-label={t('switcher.school')}
                data={[{ value: '', label: t('switcher.allSchools') }, ...me.schools.map((s) => ({ value: s.id, label: s.name }))]}
                value={session.schoolId ?? ''}
                onChange={(value) => session.setSchoolId(value || null)}
                allowDeselect={false}
                w={220}
                visibleFrom="sm"
              />
            )}
          </Group>
          <Group wrap="nowrap" gap="xs">
            <LanguageSelect />
            <UnstyledButton onClick={signOut} px="sm" py={6} className="text-button">
              {t('nav.signOut')}
            </UnstyledButton>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.main')} component="nav">
        {me.abilities.handleReports && (
          <NavLink
            component={Link}
            to="/reports"
            label={t('nav.crisis')}
            active={location.pathname === '/reports' || /^\/reports\/(?!new)/.test(location.pathname)}
            onClick={close}
          />
        )}
        {me.abilities.submitReports && (
          <NavLink component={Link} to="/reports/new" label={t('nav.newReport')} active={location.pathname === '/reports/new'} onClick={close} />
        )}
        {me.abilities.handleReports && (
          <NavLink component={Link} to="/crisis-teams" label={t('nav.teams')} active={location.pathname === '/crisis-teams'} onClick={close} />
        )}
        {me.abilities.searchStudents && (
          <NavLink component={Link} to="/students" label={t('nav.students')} active={location.pathname.startsWith('/students')} onClick={close} />
        )}
        {me.abilities.partners && (
          <NavLink component={Link} to="/referrals" label={t('nav.referrals')} active={location.pathname.startsWith('/referrals')} onClick={close} />
        )}
        {me.abilities.partners && (
          <NavLink component={Link} to="/partners" label={t('nav.partners')} active={location.pathname === '/partners'} onClick={close} />
        )}
        {me.abilities.support && (
          <NavLink
            component={Link}
            to="/support"
            label={t('nav.plans')}
            active={location.pathname === '/support' || location.pathname === '/caseload'}
            onClick={close}
          />
        )}
        {me.abilities.cases && <NavLink component={Link} to="/cases" label={t('nav.cases')} active={location.pathname.startsWith('/cases')} onClick={close} />}
        {me.abilities.screening && (
          <NavLink component={Link} to="/screening" label={t('nav.screening')} active={location.pathname.startsWith('/screening')} onClick={close} />
        )}
        {me.abilities.searchStudents && !me.abilities.leadership && (
          <NavLink component={Link} to="/policies" label={t('policies.titleTab')} active={location.pathname === '/policies'} onClick={close} />
        )}
        {me.abilities.leadership && (
          <NavLink component={Link} to="/leadership" label={t('nav.leadership')} active={location.pathname.startsWith('/leadership')} onClick={close} />
        )}
        {me.abilities.configureDistrict && (
          <NavLink component={Link} to="/district" label={t('nav.district')} active={location.pathname === '/district'} onClick={close} />
        )}
        <NavLink
          component={Link}
          to="/account"
          label={t('nav.account')}
          description={me.user.displayName}
          active={location.pathname === '/account'}
          onClick={close}
        />
        <Text size="xs" mt="md" px="sm" c="dimmed">
          {t('app.crisisLine')}
        </Text>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {live.holds.map((hold) => (
          <Alert
            key={hold.sessionId}
            color="red.9"
            variant="filled"
            role="alert"
            mb="sm"
            withCloseButton
            onClose={() => live.dismissHold(hold.sessionId)}
            closeButtonLabel={t('app.dismiss')}
            title={t('screening.holdTitle', { name: hold.student })}
          >
            <Text size="sm">{t('screening.hold')}</Text>
            <Button
              component={Link}
              to={`/screening/windows/${hold.windowId}`}
              color="dark"
              size="xs"
              mt="xs"
              className="wrap-button"
              onClick={() => live.dismissHold(hold.sessionId)}
            >
              {t('screening.openWindow')}
            </Button>
          </Alert>
        ))}
        {live.alerts.length > 0 && (
          <Stack gap="xs" mb="md">
            {live.alerts.map((alert) => (
              <Alert
                key={alert.reportId}
                color="red.9"
                variant="filled"
                role="alert"
                withCloseButton
                onClose={() => live.dismiss(alert.reportId)}
                closeButtonLabel={t('app.dismiss')}
              >
                <Group justify="space-between">
                  <Text fw={700}>{t('reports.alert', { urgency: t(`urgencies.${alert.urgency}`), school: alert.school })}</Text>
                  <Button component={Link} to={`/reports/${alert.reportId}`} color="dark" size="xs" onClick={() => live.dismiss(alert.reportId)}>
                    {t('reports.open')}
                  </Button>
                </Group>
                {alert.afterHours && <Text size="sm">{t('reports.afterHoursGuidance')}</Text>}
              </Alert>
            ))}
          </Stack>
        )}
        {me.abilities.handleReports && (
          <Text size="xs" c="dimmed" mb="xs" role="status">
            {live.connected ? t('reports.live') : t('reports.liveOff')}
          </Text>
        )}
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

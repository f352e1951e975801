import '@mantine/core/styles.css';
import './app.css';
import './i18n';
import { type CSSVariablesResolver, createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, createRoutesFromElements, Navigate, Route, RouterProvider } from 'react-router';
import { SignInPage } from './features/auth/SignInPage';
import { AppLayout } from './layout/AppLayout';
import { lazyPage, PageError, PageLoading } from './lazyPage';
import { SessionProvider, useSession } from './session';

// Colours chosen for WCAG 2.1 AA contrast (4.5:1) on white for text and controls.
const theme = createTheme({
  primaryColor: 'havenBlue',
  colors: { havenBlue: ['#e8f0f8', '#c9dbee', '#a6c2e2', '#7fa6d4', '#5a8bc6', '#3d73b5', '#2a5f9e', '#1c4f82', '#163f68', '#0f2f4f'] },
  primaryShade: 7,
  // People who ask their device for less motion get panels that open at once.
  respectReducedMotion: true,
});
// Mantine's default "dimmed" grey is below 4.5:1 on white; use a darker one for secondary text.
const accessibleColors: CSSVariablesResolver = (t) => ({ variables: {}, light: { '--mantine-color-dimmed': t.colors.gray[7] ?? '#495057' }, dark: {} });
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });

/** Each person lands where their work is: crisis staff on reports, others on students, analysts on the leadership dashboard, the rest on their account. */
function HomeRedirect() {
  const { me } = useSession();
  // Counselors start on the students who need support now; the crisis team on reports.
  const counselor = me?.roles.some((r) => r.role === 'counselor');
  const partnerOnly = !!me?.roles.length && me.roles.every((r) => r.role === 'partner');
  const to = partnerOnly
    ? '/referrals'
    : counselor && me?.abilities.support
      ? '/support'
      : me?.abilities.handleReports
        ? '/reports'
        : me?.abilities.searchStudents
          ? '/students'
          : me?.abilities.leadership
            ? '/leadership'
            : '/account';
  return <Navigate to={to} replace />;
}

// Pages are fetched on first visit through react-router's `lazy` (see lazyPage.tsx), so sign-in
// and home download only what they show (issue 16: the app was one 1 MB bundle). Sign-in stays in
// the entry: it is the first page of almost every visit, and a lazy one would add a round trip.
// A page that fails shows its error inside the signed-in frame, with the navigation still there.
const router = createBrowserRouter(
  createRoutesFromElements(
    <Route hydrateFallbackElement={<PageLoading />} errorElement={<PageError />}>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="/sign-in/:district" element={<SignInPage />} />
      <Route path="/forgot-password" lazy={lazyPage(() => import('./features/auth/ForgotPasswordPage'), 'ForgotPasswordPage')} />
      <Route path="/reset-password" lazy={lazyPage(() => import('./features/auth/ResetPasswordPage'), 'ResetPasswordPage')} />
      <Route element={<AppLayout />}>
        <Route errorElement={<PageError />}>
          <Route index element={<HomeRedirect />} />
          <Route path="/students" lazy={lazyPage(() => import('./features/students/StudentsPage'), 'StudentsPage')} />
          <Route path="/students/:id" lazy={lazyPage(() => import('./features/students/StudentProfilePage'), 'StudentProfilePage')} />
          <Route path="/account" lazy={lazyPage(() => import('./features/account/AccountPage'), 'AccountPage')} />
          <Route path="/district" lazy={lazyPage(() => import('./features/district/DistrictSettingsPage'), 'DistrictSettingsPage')} />
          <Route path="/district/outbox" lazy={lazyPage(() => import('./features/district/OutboxPage'), 'OutboxPage')} />
          <Route path="/reports" lazy={lazyPage(() => import('./features/reports/ReportsPage'), 'ReportsPage')} />
          <Route path="/reports/new" lazy={lazyPage(() => import('./features/reports/NewReportPage'), 'NewReportPage')} />
          <Route path="/reports/:id" lazy={lazyPage(() => import('./features/reports/ReportPage'), 'ReportPage')} />
          <Route path="/crisis-teams" lazy={lazyPage(() => import('./features/crisis-teams/CrisisTeamsPage'), 'CrisisTeamsPage')} />
          <Route path="/partners" lazy={lazyPage(() => import('./features/partners/PartnersPage'), 'PartnersPage')} />
          <Route path="/referrals" lazy={lazyPage(() => import('./features/referrals/ReferralsPage'), 'ReferralsPage')} />
          <Route path="/referrals/new" lazy={lazyPage(() => import('./features/referrals/NewReferralPage'), 'NewReferralPage')} />
          <Route path="/referrals/:id" lazy={lazyPage(() => import('./features/referrals/ReferralPage'), 'ReferralPage')} />
          <Route path="/support" lazy={lazyPage(() => import('./features/support/SupportQueuePage'), 'SupportQueuePage')} />
          <Route path="/caseload" lazy={lazyPage(() => import('./features/support/CaseloadPage'), 'CaseloadPage')} />
          <Route path="/cases" lazy={lazyPage(() => import('./features/cases/CasesPage'), 'CasesPage')} />
          <Route path="/cases/:id" lazy={lazyPage(() => import('./features/cases/CasePage'), 'CasePage')} />
          <Route path="/screening" lazy={lazyPage(() => import('./features/screening/ScreeningPage'), 'ScreeningPage')} />
          <Route path="/screening/follow-ups" lazy={lazyPage(() => import('./features/screening/FollowUpsPage'), 'FollowUpsPage')} />
          <Route path="/screening/windows/:id" lazy={lazyPage(() => import('./features/screening/WindowPage'), 'WindowPage')} />
          <Route path="/leadership" lazy={lazyPage(() => import('./features/leadership/LeadershipPage'), 'LeadershipPage')} />
          <Route path="/leadership/report" lazy={lazyPage(() => import('./features/leadership/LeadershipPage'), 'DistrictReportPage')} />
          <Route path="/policies" lazy={lazyPage(() => import('./features/leadership/LeadershipPage'), 'PoliciesPage')} />
          <Route path="*" element={<HomeRedirect />} />
        </Route>
      </Route>
    </Route>,
  ),
);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} cssVariablesResolver={accessibleColors}>
        <QueryClientProvider client={queryClient}>
          <SessionProvider>
            <RouterProvider router={router} />
          </SessionProvider>
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}

import '@mantine/core/styles.css';
import './app.css';
import './i18n';
import { type CSSVariablesResolver, createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AccountPage } from './features/account/AccountPage';
import { ForgotPasswordPage } from './features/auth/ForgotPasswordPage';
import { ResetPasswordPage } from './features/auth/ResetPasswordPage';
import { SignInPage } from './features/auth/SignInPage';
import { CasePage } from './features/cases/CasePage';
import { CasesPage } from './features/cases/CasesPage';
import { CrisisTeamsPage } from './features/crisis-teams/CrisisTeamsPage';
import { DistrictSettingsPage } from './features/district/DistrictSettingsPage';
import { DistrictReportPage, LeadershipPage, PoliciesPage } from './features/leadership/LeadershipPage';
import { PartnersPage } from './features/partners/PartnersPage';
import { NewReferralPage } from './features/referrals/NewReferralPage';
import { ReferralPage } from './features/referrals/ReferralPage';
import { ReferralsPage } from './features/referrals/ReferralsPage';
import { NewReportPage } from './features/reports/NewReportPage';
import { ReportPage } from './features/reports/ReportPage';
import { ReportsPage } from './features/reports/ReportsPage';
import { FollowUpsPage } from './features/screening/FollowUpsPage';
import { ScreeningPage } from './features/screening/ScreeningPage';
import { WindowPage } from './features/screening/WindowPage';
import { StudentProfilePage } from './features/students/StudentProfilePage';
import { StudentsPage } from './features/students/StudentsPage';
import { CaseloadPage } from './features/support/CaseloadPage';
import { SupportQueuePage } from './features/support/SupportQueuePage';
import { AppLayout } from './layout/AppLayout';
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

/** Each person lands where their work is: crisis staff on reports, others on students or their account. */
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
          : '/account';
  return <Navigate to={to} replace />;
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} cssVariablesResolver={accessibleColors}>
        <QueryClientProvider client={queryClient}>
          <SessionProvider>
            <BrowserRouter>
              <Routes>
                <Route path="/sign-in" element={<SignInPage />} />
                <Route path="/forgot-password" element={<ForgotPasswordPage />} />
                <Route path="/reset-password" element={<ResetPasswordPage />} />
                <Route element={<AppLayout />}>
                  <Route index element={<HomeRedirect />} />
                  <Route path="/students" element={<StudentsPage />} />
                  <Route path="/students/:id" element={<StudentProfilePage />} />
                  <Route path="/account" element={<AccountPage />} />
                  <Route path="/district" element={<DistrictSettingsPage />} />
                  <Route path="/reports" element={<ReportsPage />} />
                  <Route path="/reports/new" element={<NewReportPage />} />
                  <Route path="/reports/:id" element={<ReportPage />} />
                  <Route path="/crisis-teams" element={<CrisisTeamsPage />} />
                  <Route path="/partners" element={<PartnersPage />} />
                  <Route path="/referrals" element={<ReferralsPage />} />
                  <Route path="/referrals/new" element={<NewReferralPage />} />
                  <Route path="/referrals/:id" element={<ReferralPage />} />
                  <Route path="/support" element={<SupportQueuePage />} />
                  <Route path="/caseload" element={<CaseloadPage />} />
                  <Route path="/cases" element={<CasesPage />} />
                  <Route path="/cases/:id" element={<CasePage />} />
                  <Route path="/screening" element={<ScreeningPage />} />
                  <Route path="/screening/follow-ups" element={<FollowUpsPage />} />
                  <Route path="/screening/windows/:id" element={<WindowPage />} />
                  <Route path="/leadership" element={<LeadershipPage />} />
                  <Route path="/leadership/report" element={<DistrictReportPage />} />
                  <Route path="/policies" element={<PoliciesPage />} />
                  <Route path="*" element={<HomeRedirect />} />
                </Route>
              </Routes>
            </BrowserRouter>
          </SessionProvider>
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}

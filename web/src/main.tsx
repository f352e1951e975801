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
import { ComingSoonPage } from './features/coming/ComingSoonPage';
import { DistrictSettingsPage } from './features/district/DistrictSettingsPage';
import { StudentProfilePage } from './features/students/StudentProfilePage';
import { StudentsPage } from './features/students/StudentsPage';
import { AppLayout } from './layout/AppLayout';
import { SessionProvider } from './session';

// Colours chosen for WCAG 2.1 AA contrast (4.5:1) on white for text and controls.
const theme = createTheme({
  primaryColor: 'havenBlue',
  colors: { havenBlue: ['#e8f0f8', '#c9dbee', '#a6c2e2', '#7fa6d4', '#5a8bc6', '#3d73b5', '#2a5f9e', '#1c4f82', '#163f68', '#0f2f4f'] },
  primaryShade: 7,
});
// Mantine's default "dimmed" grey is below 4.5:1 on white; use a darker one for secondary text.
const accessibleColors: CSSVariablesResolver = (t) => ({ variables: {}, light: { '--mantine-color-dimmed': t.colors.gray[7] ?? '#495057' }, dark: {} });
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });

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
                  <Route index element={<Navigate to="/students" replace />} />
                  <Route path="/students" element={<StudentsPage />} />
                  <Route path="/students/:id" element={<StudentProfilePage />} />
                  <Route path="/account" element={<AccountPage />} />
                  <Route path="/district" element={<DistrictSettingsPage />} />
                  <Route path="/coming/:module" element={<ComingSoonPage />} />
                  <Route path="*" element={<Navigate to="/students" replace />} />
                </Route>
              </Routes>
            </BrowserRouter>
          </SessionProvider>
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}

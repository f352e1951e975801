import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError, api, type Me } from '../../api';
import { useSession } from '../../session';
import { AuthFrame } from './AuthFrame';

export function SignInPage() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [needsOtp, setNeedsOtp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  if (session.me) return <Navigate to={session.me.mfaPending ? '/account' : from} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api<Me>('POST', '/api/v1/auth/login', { email, password, ...(needsOtp ? { otp } : {}) });
      session.signedIn(me);
      navigate(me.mfaPending ? '/account' : from, { replace: true });
    } catch (caught) {
      if (caught instanceof ApiError && caught.body.mfaRequired) {
        if (needsOtp) setError(caught.message);
        setNeedsOtp(true);
      } else {
        setError(caught instanceof Error ? caught.message : t('errors.generic'));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame title={t('signIn.title')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput label={t('signIn.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <PasswordInput
            label={t('signIn.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          {needsOtp && (
            <TextInput
              label={t('signIn.otp')}
              description={t('signIn.otpHelp')}
              autoComplete="one-time-code"
              inputMode="text"
              required
              autoFocus
              value={otp}
              onChange={(e) => setOtp(e.currentTarget.value)}
            />
          )}
          <Button type="submit" loading={busy}>
            {t('signIn.submit')}
          </Button>
          <Anchor component={Link} to="/forgot-password" size="sm">
            {t('signIn.forgot')}
          </Anchor>
        </Stack>
      </form>
    </AuthFrame>
  );
}

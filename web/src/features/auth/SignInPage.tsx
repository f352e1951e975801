import { Alert, Anchor, Button, Divider, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import type { DistrictSignIn } from '../../../../src/features/accounts/sso.schema';
import { ApiError, api, type Me } from '../../api';
import { useSession } from '../../session';
import { AuthFrame } from './AuthFrame';
import { SecondFactorForm, signInWithPasskey } from './SecondFactorForm';
import { SsoChoices, ssoErrorKey, useDiscovery } from './SsoChoices';

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
  const params = useParams<{ district?: string }>();
  const [search] = useSearchParams();
  const districtLink = useQuery({
    queryKey: ['sign-in-district', params.district],
    queryFn: () => api<DistrictSignIn>('GET', `/api/v1/auth/sso/districts/${encodeURIComponent(params.district ?? '')}`),
    enabled: Boolean(params.district),
  });
  const discovered = useDiscovery(email);
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const ssoError = ssoErrorKey(search.get('sso_error'));
  // After a provider's sign-in that did not do two-step sign-in, a role that needs one asks for Haven's own code.
  if (session.me?.mfaPending && session.me.user.mfaEnrolled) return <SecondFactorForm />;
  if (session.me) return <Navigate to={session.me.mfaPending ? '/account' : from} replace />;
  const fromLink = districtLink.data?.providers ?? [];
  const providers = discovered.providers.length > 0 ? discovered.providers : fromLink;
  const ssoRequired = discovered.providers.length > 0 ? discovered.ssoRequired : (districtLink.data?.district.ssoRequired ?? false);
  const passkeySignIn = async () => {
    setError(null);
    try {
      const me = await signInWithPasskey();
      session.signedIn(me);
      navigate(from, { replace: true });
    } catch (caught) {
      // Closing the device's prompt is a choice, not an error to shout about.
      if (caught instanceof Error && caught.name === 'NotAllowedError') return;
      setError(caught instanceof Error ? caught.message : t('errors.generic'));
    }
  };

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
    <AuthFrame title={districtLink.data ? t('sso.districtTitle', { district: districtLink.data.district.name }) : t('signIn.title')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {ssoError && !error && (
            <Alert color={search.get('sso_error') === 'no_access' ? 'yellow' : 'red'} role="alert">
              {t(ssoError)}
            </Alert>
          )}
          {districtLink.error && (
            <Alert color="red" role="alert">
              {t('sso.unknownDistrict')}
            </Alert>
          )}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label={t('signIn.email')}
            type="email"
            autoComplete="username webauthn"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <SsoChoices providers={providers} ssoRequired={ssoRequired} email={email} returnTo={from} />
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
          {'PublicKeyCredential' in window && (
            <>
              <Divider label={t('passkeys.or')} labelPosition="center" />
              <Button variant="default" onClick={passkeySignIn}>
                {t('passkeys.use')}
              </Button>
            </>
          )}
        </Stack>
      </form>
    </AuthFrame>
  );
}

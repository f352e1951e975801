import { Alert, Button, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, type Me } from '../../api';
import { useSession } from '../../session';
import { AuthFrame } from './AuthFrame';

/**
 * Signs in with a passkey on this device (any of the person's, no e-mail typed). The WebAuthn
 * helper is fetched only when used, so the sign-in page stays small.
 */
export async function signInWithPasskey(): Promise<Me> {
  const { startAuthentication } = await import('@simplewebauthn/browser');
  const optionsJSON = await api<Parameters<typeof startAuthentication>[0]['optionsJSON']>('POST', '/api/v1/auth/passkey/options', {});
  const response = await startAuthentication({ optionsJSON });
  return api<Me>('POST', '/api/v1/auth/passkey', { response });
}

/** The second step after a provider's sign-in, for a role that needs Haven's own two-step sign-in. */
export function SecondFactorForm() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api<Me>('POST', '/api/v1/auth/second-factor', { code });
      session.signedIn(me);
      navigate('/', { replace: true });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : t('errors.generic'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthFrame title={t('sso.secondFactorTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text>{t('sso.secondFactorIntro')}</Text>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label={t('signIn.otp')}
            description={t('signIn.otpHelp')}
            autoComplete="one-time-code"
            required
            autoFocus
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
          />
          <Button type="submit" loading={busy}>
            {t('sso.continue')}
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}

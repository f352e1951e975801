import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api';
import { AuthFrame } from './AuthFrame';

/** Opened from the e-mailed link; the token sits in the fragment, which never reaches a server log. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  const [password, setPassword] = useState('');
  const [state, setState] = useState<{ done: boolean; error: string | null }>({ done: false, error: token ? null : t('reset.missing') });
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await api('POST', '/api/v1/auth/password-reset/complete', { token, password });
      setState({ done: true, error: null });
    } catch (caught) {
      setState({ done: false, error: caught instanceof Error ? caught.message : t('errors.generic') });
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthFrame title={t('reset.title')}>
      {state.done ? (
        <Stack>
          <Alert color="green" role="status">
            {t('reset.done')}
          </Alert>
          <Anchor component={Link} to="/sign-in">
            {t('signIn.submit')}
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {state.error && (
              <Alert color="red" role="alert">
                {state.error}
              </Alert>
            )}
            <PasswordInput
              label={t('reset.password')}
              description={t('reset.help')}
              autoComplete="new-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy} disabled={!token}>
              {t('reset.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthFrame>
  );
}

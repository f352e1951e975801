import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ResetRequested } from '../../../../src/features/accounts/accounts.schema';
import { api } from '../../api';
import { AuthFrame } from './AuthFrame';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const answer = await api<ResetRequested>('POST', '/api/v1/auth/password-reset', { email });
      setMessage({ ok: true, text: answer.message });
    } catch (caught) {
      setMessage({ ok: false, text: caught instanceof Error ? caught.message : t('errors.generic') });
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthFrame title={t('forgot.title')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text>{t('forgot.intro')}</Text>
          {message && (
            <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>
              {message.text}
            </Alert>
          )}
          <TextInput label={t('signIn.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <Button type="submit" loading={busy}>
            {t('forgot.submit')}
          </Button>
          <Anchor component={Link} to="/sign-in" size="sm">
            {t('forgot.back')}
          </Anchor>
        </Stack>
      </form>
    </AuthFrame>
  );
}

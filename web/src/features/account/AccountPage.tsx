import { Alert, Button, Card, Code, Group, List, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { MfaEnrolment, RecoveryCodes } from '../../../../src/features/accounts/accounts.schema';
import { api } from '../../api';
import { useSession } from '../../session';
import { ApiTokensCard } from './ApiTokensCard';
import { PasskeysCard } from './PasskeysCard';
import { PushSettings } from './PushSettings';

type Message = { ok: boolean; text: string } | null;

function Notice({ message }: { message: Message }) {
  if (!message) return null;
  return (
    <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>
      {message.text}
    </Alert>
  );
}

/** Password, two-step sign-in, sessions and API tokens of the signed-in person. */
export function AccountPage() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const me = session.me;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [passwordMessage, setPasswordMessage] = useState<Message>(null);
  const [enrolment, setEnrolment] = useState<MfaEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [mfaMessage, setMfaMessage] = useState<Message>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [reauthPassword, setReauthPassword] = useState('');
  if (!me) return null;

  const failed = (caught: unknown) => ({ ok: false, text: caught instanceof Error ? caught.message : t('errors.generic') });
  const changePassword = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('POST', '/api/v1/me/password', { currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setPasswordMessage({ ok: true, text: t('account.saved') });
    } catch (caught) {
      setPasswordMessage(failed(caught));
    }
  };
  const startEnrolment = async (event?: FormEvent) => {
    event?.preventDefault();
    try {
      // Replacing an authenticator you already have needs your password again.
      setEnrolment(await api<MfaEnrolment>('POST', '/api/v1/me/mfa/enrolment', me.user.mfaEnrolled ? { password: reauthPassword } : undefined));
      setReauthPassword('');
      setMfaMessage(null);
    } catch (caught) {
      setMfaMessage(failed(caught));
    }
  };
  const confirmEnrolment = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const result = await api<RecoveryCodes>('POST', '/api/v1/me/mfa/enrolment/confirm', { code });
      setRecoveryCodes(result.recoveryCodes);
      setEnrolment(null);
      setCode('');
      await session.refresh();
    } catch (caught) {
      setMfaMessage(failed(caught));
    }
  };
  const signOutEverywhere = async () => {
    await api('POST', '/api/v1/auth/logout-everywhere');
    await session.refresh();
    navigate('/sign-in');
  };

  return (
    <Stack maw={720}>
      <Title order={1}>{t('account.title')}</Title>
      <Text>
        {me.user.displayName} · {me.user.email}
      </Text>
      {me.mfaPending && (
        <Alert variant="outline" color="#8a4b00" role="alert">
          {t('account.mfaRequired')}
        </Alert>
      )}
      <Card withBorder component="section" aria-labelledby="roles-heading">
        <Title order={2} size="h3" id="roles-heading" mb="xs">
          {t('account.roles')}
        </Title>
        <List>
          {me.roles.map((r) => (
            <List.Item key={`${r.role}-${r.schoolId}`}>
              {t(`account.roleNames.${r.role}`, { defaultValue: t('account.roleNames.other') })} — {r.schoolName ?? t('account.districtWide')}
            </List.Item>
          ))}
        </List>
      </Card>

      <Card withBorder component="section" aria-labelledby="mfa-heading">
        <Title order={2} size="h3" id="mfa-heading" mb="xs">
          {t('account.mfa')}
        </Title>
        <Stack>
          <Text>{me.user.mfaEnrolled ? t('account.mfaOn') : t('account.mfaOff')}</Text>
          <Notice message={mfaMessage} />
          {recoveryCodes && (
            <Alert color="green" title={t('account.recovery')} role="status">
              <Text size="sm" mb="xs">
                {t('account.recoveryHelp')}
              </Text>
              <Code block>{recoveryCodes.join('\n')}</Code>
            </Alert>
          )}
          {enrolment ? (
            <form onSubmit={confirmEnrolment}>
              <Stack>
                <Text>{t('account.mfaScan')}</Text>
                <img
                  src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrSvg)}`}
                  alt={`${t('account.mfaKey')}: ${enrolment.secret}`}
                  width={200}
                  height={200}
                />
                <Text size="sm">
                  {t('account.mfaKey')}: <Code>{enrolment.secret}</Code>
                </Text>
                <TextInput
                  label={t('account.mfaCode')}
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  required
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value)}
                  w={200}
                />
                <Button type="submit" w="fit-content">
                  {t('account.mfaConfirm')}
                </Button>
              </Stack>
            </form>
          ) : (
            <form onSubmit={startEnrolment}>
              <Stack>
                {me.user.mfaEnrolled && (
                  <PasswordInput
                    label={t('account.mfaReauth')}
                    autoComplete="current-password"
                    required
                    value={reauthPassword}
                    onChange={(e) => setReauthPassword(e.currentTarget.value)}
                    w={300}
                  />
                )}
                <Button variant="light" type="submit" w="fit-content">
                  {me.user.mfaEnrolled ? t('account.mfaRestart') : t('account.mfaStart')}
                </Button>
              </Stack>
            </form>
          )}
        </Stack>
      </Card>

      {!me.mfaPending && (
        <>
          <Card withBorder component="section" aria-labelledby="password-heading">
            <Title order={2} size="h3" id="password-heading" mb="xs">
              {t('account.password')}
            </Title>
            <form onSubmit={changePassword}>
              <Stack>
                <Notice message={passwordMessage} />
                <PasswordInput
                  label={t('account.current')}
                  autoComplete="current-password"
                  required
                  value={current}
                  onChange={(e) => setCurrent(e.currentTarget.value)}
                />
                <PasswordInput
                  label={t('account.new')}
                  description={t('reset.help')}
                  autoComplete="new-password"
                  required
                  value={next}
                  onChange={(e) => setNext(e.currentTarget.value)}
                />
                <Button type="submit" w="fit-content">
                  {t('account.save')}
                </Button>
              </Stack>
            </form>
          </Card>
          {me.abilities.handleReports && <PushSettings />}
          <PasskeysCard />
          <ApiTokensCard />
        </>
      )}

      <Card withBorder component="section" aria-labelledby="sessions-heading">
        <Title order={2} size="h3" id="sessions-heading" mb="xs">
          {t('account.sessions')}
        </Title>
        <Group>
          <Text size="sm">{t('account.signOutEverywhereHelp')}</Text>
          <Button color="red" variant="outline" onClick={signOutEverywhere}>
            {t('account.signOutEverywhere')}
          </Button>
        </Group>
      </Card>
    </Stack>
  );
}

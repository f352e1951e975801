import { Alert, Button, Card, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PasskeyList } from '../../../../src/features/accounts/passkeys.schema';
import { api } from '../../api';

type Passkey = PasskeyList['items'][number];

/**
 * The person's passkeys: a fingerprint, face or PIN on their phone or computer that signs them in
 * with no password and counts as two-step sign-in. Adding one asks for the password again (a
 * session left open must not be enough to add a lasting way in).
 */
export function PasskeysCard() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['passkeys'], queryFn: () => api<PasskeyList>('GET', '/api/v1/me/passkeys') });
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const supported = typeof window !== 'undefined' && 'PublicKeyCredential' in window;
  const date = (iso: string) => new Date(iso).toLocaleDateString(i18n.language, { dateStyle: 'medium' });

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    try {
      const { startRegistration } = await import('@simplewebauthn/browser');
      const optionsJSON = await api<Parameters<typeof startRegistration>[0]['optionsJSON']>(
        'POST',
        '/api/v1/me/passkeys/options',
        list.data?.proofNeeded ? { password } : {},
      );
      const response = await startRegistration({ optionsJSON });
      await api('POST', '/api/v1/me/passkeys', { name: name.trim() || t('passkeys.defaultName'), response });
      setName('');
      setPassword('');
      setMessage({ ok: true, text: t('passkeys.added') });
      await queryClient.invalidateQueries({ queryKey: ['passkeys'] });
    } catch (caught) {
      if (caught instanceof Error && caught.name === 'NotAllowedError') return;
      setMessage({ ok: false, text: caught instanceof Error ? caught.message : t('errors.generic') });
    }
  };
  const remove = async (passkey: Passkey) => {
    if (!window.confirm(t('passkeys.removeConfirm', { name: passkey.name }))) return;
    try {
      await api('DELETE', `/api/v1/me/passkeys/${passkey.id}`);
      await queryClient.invalidateQueries({ queryKey: ['passkeys'] });
    } catch (caught) {
      setMessage({ ok: false, text: caught instanceof Error ? caught.message : t('errors.generic') });
    }
  };

  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h3">
          {t('passkeys.title')}
        </Title>
        <Text size="sm">{t('passkeys.intro')}</Text>
        {message && (
          <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </Alert>
        )}
        {list.data?.items.length === 0 && <Text size="sm">{t('passkeys.none')}</Text>}
        {list.data?.items.map((passkey) => (
          <Group key={passkey.id} justify="space-between" wrap="wrap">
            <div>
              <Text fw={600}>{passkey.name}</Text>
              <Text size="sm" c="dimmed">
                {t('passkeys.addedOn', { date: date(passkey.createdAt) })}
                {passkey.lastUsedAt ? ` · ${t('passkeys.lastUsed', { date: date(passkey.lastUsedAt) })}` : ''}
              </Text>
            </div>
            <Button variant="subtle" color="red" onClick={() => remove(passkey)} aria-label={t('passkeys.removeNamed', { name: passkey.name })}>
              {t('passkeys.remove')}
            </Button>
          </Group>
        ))}
        {supported ? (
          <form onSubmit={add}>
            <Stack>
              <TextInput
                label={t('passkeys.name')}
                description={t('passkeys.nameHelp')}
                maxLength={100}
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
              />
              {list.data?.proofNeeded && (
                <PasswordInput
                  label={t('passkeys.password')}
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                />
              )}
              <Button type="submit" variant="light">
                {t('passkeys.add')}
              </Button>
            </Stack>
          </form>
        ) : (
          <Text size="sm">{t('passkeys.unsupported')}</Text>
        )}
      </Stack>
    </Card>
  );
}

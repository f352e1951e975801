import { Alert, Badge, Button, Card, Code, CopyButton, Group, Modal, Paper, PasswordInput, Radio, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiTokenLifetimes } from '../../../../src/features/accounts/accounts.rules';
import type { CreatedApiToken as Created, ApiToken as Token } from '../../../../src/features/accounts/accounts.schema';
import { api } from '../../api';
import { useSession } from '../../session';

type Scope = Token['scope'];

/**
 * The person's API tokens: each with what it may do and when it expires, made with the password
 * asked again (a token outlives the session that makes it), shown once with a copy button, and
 * revoked after a confirmation, since a script using it stops at once.
 */
export function ApiTokensCard() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => api<{ items: Token[] }>('GET', '/api/v1/me/tokens') });
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('read');
  const [days, setDays] = useState('90');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [created, setCreated] = useState<Created | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const mfa = me?.user.mfaEnrolled ?? false;
  const message = (caught: unknown) => (caught instanceof Error ? caught.message : t('errors.generic'));

  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const proof = password ? { password } : { code };
      setCreated(await api<Created>('POST', '/api/v1/me/tokens', { name, scope, days: Number(days), ...proof }));
      setName('');
      setPassword('');
      setCode('');
      setError(null);
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
    } catch (caught) {
      setError(message(caught));
    }
  };
  const revoke = async () => {
    if (!revoking) return;
    try {
      await api('DELETE', `/api/v1/me/tokens/${revoking.id}`);
      setRevoking(null);
      setRevokeError(null);
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
    } catch (caught) {
      setRevokeError(message(caught));
    }
  };
  const date = (value: string) => new Date(value).toLocaleDateString(i18n.language, { dateStyle: 'medium' });
  const dateTime = (value: string | null) =>
    value ? new Date(value).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) : t('account.never');
  const scopeLabel = (s: Scope) => t(`account.tokenScopes.${s}`);

  return (
    <Card withBorder component="section" aria-labelledby="tokens-heading">
      <Title order={2} size="h3" id="tokens-heading" mb="xs">
        {t('account.tokens')}
      </Title>
      <Text size="sm" mb="sm">
        {t('account.tokensHelp')}
      </Text>
      {created && (
        <Alert color="green" role="status" mb="sm" title={t('account.tokenCreated', { name: created.name })}>
          <Stack gap="xs">
            <Text size="sm">{t('account.tokenShown')}</Text>
            <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
              {created.token}
            </Code>
            <Group gap="xs">
              <CopyButton value={created.token}>
                {({ copied, copy }) => (
                  <>
                    <Button size="sm" onClick={copy} color={copied ? 'teal.9' : undefined}>
                      {copied ? t('account.tokenCopied') : t('account.tokenCopy')}
                    </Button>
                    {/* Said aloud too: a screen reader does not announce a button's new label by itself. */}
                    <span aria-live="polite" className="visually-hidden">
                      {copied ? t('account.tokenCopied') : ''}
                    </span>
                  </>
                )}
              </CopyButton>
              <Button size="sm" variant="default" onClick={() => setCreated(null)}>
                {t('account.tokenDone')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      <form onSubmit={create} aria-labelledby="token-create-heading">
        <Stack gap="sm">
          <Title order={3} size="h4" id="token-create-heading">
            {t('account.tokenNew')}
          </Title>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label={t('account.tokenName')}
            description={t('account.tokenNameHelp')}
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Radio.Group label={t('account.tokenScope')} value={scope} onChange={(value) => setScope(value as Scope)} required>
            <Stack gap={6} mt={4}>
              <Radio value="read" label={scopeLabel('read')} description={t('account.tokenScopeHelp.read')} />
              <Radio value="full" label={scopeLabel('full')} description={t('account.tokenScopeHelp.full')} />
            </Stack>
          </Radio.Group>
          <Select
            label={t('account.tokenExpiry')}
            description={t('account.tokenExpiryHelp')}
            data={apiTokenLifetimes.map((n) => ({ value: String(n), label: t(`account.tokenLifetimes.${n}`) }))}
            value={days}
            onChange={(value) => setDays(value ?? '90')}
            allowDeselect={false}
            required
            maw={320}
          />
          <PasswordInput
            label={t('account.tokenPassword')}
            description={mfa ? t('account.tokenPasswordOrCode') : t('account.tokenPasswordHelp')}
            autoComplete="current-password"
            required={!mfa || !code}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            maw={320}
          />
          {mfa && (
            <TextInput
              label={t('account.tokenCode')}
              autoComplete="one-time-code"
              inputMode="numeric"
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              maw={200}
            />
          )}
          <Button type="submit" w="fit-content">
            {t('account.tokenCreate')}
          </Button>
        </Stack>
      </form>

      <Title order={3} size="h4" mt="lg" mb="xs">
        {t('account.tokenList')}
      </Title>
      {tokens.data && tokens.data.items.length === 0 && <Text>{t('account.tokenNone')}</Text>}
      {tokens.data && tokens.data.items.length > 0 && (
        <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
          {tokens.data.items.map((token) => (
            <Paper component="li" withBorder p="sm" key={token.id}>
              <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
                <Stack gap={4} style={{ minWidth: 0, flex: '1 1 14rem' }}>
                  <Group gap="xs" wrap="wrap">
                    <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                      {token.name}
                    </Text>
                    <Badge variant="outline" color={token.scope === 'full' ? 'orange.9' : 'blue.9'}>
                      {scopeLabel(token.scope)}
                    </Badge>
                    {token.expired && (
                      <Badge variant="filled" color="red.9">
                        {t('account.tokenExpired')}
                      </Badge>
                    )}
                  </Group>
                  <Text size="sm">
                    {t('account.created')}: {date(token.createdAt)}
                  </Text>
                  <Text size="sm">
                    {token.expired ? t('account.tokenExpiredOn') : t('account.tokenExpires')}: {date(token.expiresAt)}
                  </Text>
                  <Text size="sm">
                    {t('account.lastUsed')}: {dateTime(token.lastUsedAt)}
                  </Text>
                </Stack>
                <Button
                  size="sm"
                  variant="outline"
                  color="red.9"
                  onClick={() => setRevoking(token)}
                  aria-label={t('account.tokenRevokeNamed', { name: token.name })}
                >
                  {t('account.tokenRevoke')}
                </Button>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}

      <Modal
        opened={revoking !== null}
        onClose={() => {
          setRevoking(null);
          setRevokeError(null);
        }}
        title={t('account.tokenRevokeTitle', { name: revoking?.name ?? '' })}
        closeButtonProps={{ 'aria-label': t('account.tokenKeep') }}
      >
        <Stack gap="sm">
          <Text>{t('account.tokenRevokeHelp')}</Text>
          {revokeError && (
            <Alert color="red" role="alert">
              {revokeError}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setRevoking(null)}>
              {t('account.tokenKeep')}
            </Button>
            <Button color="red.9" onClick={revoke}>
              {t('account.tokenRevokeConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

import { Alert, Button, Card, Code, Group, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';

type Token = { id: string; name: string; createdAt: string; lastUsedAt: string | null };

/** Create, list and revoke API tokens; a new token is shown once. */
export function ApiTokensCard() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => api<{ items: Token[] }>('GET', '/api/v1/me/tokens') });
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const result = await api<{ token: string }>('POST', '/api/v1/me/tokens', { name });
      setCreated(result.token);
      setName('');
      setError(null);
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : t('errors.generic'));
    }
  };
  const revoke = async (id: string) => {
    await api('DELETE', `/api/v1/me/tokens/${id}`);
    await queryClient.invalidateQueries({ queryKey: ['tokens'] });
  };
  const when = (value: string | null) => (value ? new Date(value).toLocaleString(i18n.language) : t('account.never'));
  return (
    <Card withBorder component="section" aria-labelledby="tokens-heading">
      <Title order={2} size="h3" id="tokens-heading" mb="xs">
        {t('account.tokens')}
      </Title>
      <Text size="sm" mb="sm">
        {t('account.tokensHelp')}
      </Text>
      {error && (
        <Alert color="red" role="alert" mb="sm">
          {error}
        </Alert>
      )}
      {created && (
        <Alert color="green" role="status" mb="sm">
          {t('account.tokenShown')} <Code>{created}</Code>
        </Alert>
      )}
      <form onSubmit={create}>
        <Group align="end">
          <TextInput label={t('account.tokenName')} required maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Button type="submit">{t('account.tokenCreate')}</Button>
        </Group>
      </form>
      {tokens.data && tokens.data.items.length === 0 && <Text mt="sm">{t('account.tokenNone')}</Text>}
      {tokens.data && tokens.data.items.length > 0 && (
        <Table mt="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('account.tokenName')}</Table.Th>
              <Table.Th scope="col">{t('account.created')}</Table.Th>
              <Table.Th scope="col">{t('account.lastUsed')}</Table.Th>
              <Table.Th scope="col">
                <span className="visually-hidden">{t('account.tokenRevoke')}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data.items.map((token) => (
              <Table.Tr key={token.id}>
                <Table.Td>{token.name}</Table.Td>
                <Table.Td>{when(token.createdAt)}</Table.Td>
                <Table.Td>{when(token.lastUsedAt)}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="outline" color="red" onClick={() => revoke(token.id)} aria-label={`${t('account.tokenRevoke')}: ${token.name}`}>
                    {t('account.tokenRevoke')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

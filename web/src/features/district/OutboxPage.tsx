import { Alert, Anchor, Badge, Button, Card, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { OutboxItem, OutboxList } from '../../../../src/platform/outbox/outbox.schema';
import { api } from '../../api';
import { ScrollTable } from '../../ui/ScrollTable';
import { useWide } from '../../ui/useWide';

const outboxKey = ['district-outbox'];
const fetchOutbox = () => api<OutboxList>('GET', '/api/v1/district/outbox');

/** What a message was for, in words: purposes are codes such as `referral.invitation`. */
const purposeLabel = (t: TFunction, purpose: string) => t(`outbox.purposes.${purpose.replaceAll('.', '_')}`, { defaultValue: t('outbox.purposes.other') });
const kindLabel = (t: TFunction, kind: string) => t(`outbox.kinds.${kind}`, { defaultValue: t('outbox.kinds.other') });

/**
 * District settings: how many messages Haven gave up on, with a link to the list. Shown only to
 * the people the list is for (the request 404s for anyone else).
 */
export function OutboxSummaryCard() {
  const { t } = useTranslation();
  const outbox = useQuery({ queryKey: outboxKey, queryFn: fetchOutbox, retry: false });
  if (!outbox.data) return null;
  const { failed, pending } = outbox.data;
  return (
    <Card withBorder component="section" aria-labelledby="outbox-summary-heading">
      <Title order={2} size="h3" id="outbox-summary-heading">
        {t('outbox.title')}
      </Title>
      {failed > 0 ? (
        <Alert color="red" role="status" mt="xs" title={t('outbox.failedCount', { count: failed })}>
          {t('outbox.failedHelp')}
        </Alert>
      ) : (
        <Text size="sm" mt="xs">
          {t('outbox.noneFailed')}
        </Text>
      )}
      <Text size="sm" mt="xs">
        {t('outbox.pendingCount', { count: pending })}
      </Text>
      <Anchor component={Link} to="/district/outbox" mt="xs">
        {t('outbox.open')}
      </Anchor>
    </Card>
  );
}

/**
 * District administrators: every e-mail, text and call still waiting to go, and every one Haven
 * gave up on after its last attempt, with why and a way to send it again. The text of a message
 * and the whole recipient are never shown: only what it was for and a masked address.
 */
export function OutboxPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const wide = useWide();
  const outbox = useQuery({ queryKey: outboxKey, queryFn: fetchOutbox });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (outbox.error)
    return (
      <Alert color="red" role="alert">
        {outbox.error.message}
      </Alert>
    );
  if (!outbox.data) return <Loader role="status" aria-label={t('app.loading')} />;
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) : '—');
  const retry = async (item: OutboxItem) => {
    try {
      await api('POST', `/api/v1/district/outbox/${item.id}/retry`);
      setMessage({ ok: true, text: t('outbox.retried') });
      await queryClient.invalidateQueries({ queryKey: outboxKey });
    } catch (caught) {
      setMessage({ ok: false, text: caught instanceof Error ? caught.message : t('errors.generic') });
    }
  };
  const status = (item: OutboxItem) =>
    item.status === 'failed' ? <Badge color="red.9">{t('outbox.statuses.failed')}</Badge> : <Badge color="gray.8">{t('outbox.statuses.pending')}</Badge>;
  const action = (item: OutboxItem) =>
    item.status === 'failed' ? (
      <Button
        size="xs"
        variant="default"
        onClick={() => retry(item)}
        aria-label={t('outbox.retryLabel', { purpose: purposeLabel(t, item.purpose), to: item.recipient })}
      >
        {t('outbox.retry')}
      </Button>
    ) : null;
  const { items, failed, pending } = outbox.data;
  return (
    <Stack maw={1100}>
      <Anchor component={Link} to="/district" size="sm">
        {t('outbox.back')}
      </Anchor>
      <Title order={1}>{t('outbox.title')}</Title>
      <Text>{t('outbox.intro')}</Text>
      <Group>
        <Text fw={700}>{t('outbox.failedCount', { count: failed })}</Text>
        <Text>{t('outbox.pendingCount', { count: pending })}</Text>
      </Group>
      {message && (
        <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </Alert>
      )}
      {items.length === 0 ? (
        <Text>{t('outbox.empty')}</Text>
      ) : wide ? (
        <ScrollTable label={t('outbox.title')} minWidth={900}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('outbox.columns.purpose')}</Table.Th>
                <Table.Th>{t('outbox.columns.to')}</Table.Th>
                <Table.Th>{t('outbox.columns.status')}</Table.Th>
                <Table.Th>{t('outbox.columns.attempts')}</Table.Th>
                <Table.Th>{t('outbox.columns.lastError')}</Table.Th>
                <Table.Th>{t('outbox.columns.created')}</Table.Th>
                <Table.Th>{t('outbox.columns.next')}</Table.Th>
                <Table.Th>
                  <span className="visually-hidden">{t('outbox.columns.action')}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>{purposeLabel(t, item.purpose)}</Table.Td>
                  <Table.Td>
                    {kindLabel(t, item.kind)}: {item.recipient}
                  </Table.Td>
                  <Table.Td>{status(item)}</Table.Td>
                  <Table.Td>{item.attempts}</Table.Td>
                  <Table.Td>{item.lastError ?? '—'}</Table.Td>
                  <Table.Td>{when(item.createdAt)}</Table.Td>
                  <Table.Td>{when(item.nextAttemptAt)}</Table.Td>
                  <Table.Td>{action(item)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      ) : (
        <Stack component="ul" p={0} style={{ listStyle: 'none' }}>
          {items.map((item) => (
            <Card key={item.id} withBorder component="li">
              <Group justify="space-between" wrap="wrap">
                <Text fw={700}>{purposeLabel(t, item.purpose)}</Text>
                {status(item)}
              </Group>
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {kindLabel(t, item.kind)}: {item.recipient}
              </Text>
              <Text size="sm">
                {t('outbox.columns.attempts')}: {item.attempts} · {t('outbox.columns.created')}: {when(item.createdAt)}
              </Text>
              {item.nextAttemptAt && (
                <Text size="sm">
                  {t('outbox.columns.next')}: {when(item.nextAttemptAt)}
                </Text>
              )}
              {item.lastError && (
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {t('outbox.columns.lastError')}: {item.lastError}
                </Text>
              )}
              {item.status === 'failed' && <Group mt="xs">{action(item)}</Group>}
            </Card>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

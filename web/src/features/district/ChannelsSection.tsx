import { Alert, Button, Card, Group, List, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboundChannelView as Channel } from '../../../../src/features/crisis-reports/crisis-reports.schema';
import { api } from '../../api';

type Kind = Channel['kind'];

/**
 * District settings: the numbers and addresses the district receives texts and e-mail on. A text
 * or e-mail is routed by the number or address it was sent to, so each belongs to one district;
 * removing one sends later messages to the platform operator instead of the team, so it asks first.
 */
export function ChannelsSection() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['district-channels'], queryFn: () => api<Channel[]>('GET', '/api/v1/district/channels') });
  const [kind, setKind] = useState<Kind>('sms');
  const [address, setAddress] = useState('');
  const [confirming, setConfirming] = useState<Channel | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const act = async (work: () => Promise<string>) => {
    setMessage(null);
    try {
      setMessage({ ok: true, text: await work() });
      await queryClient.invalidateQueries({ queryKey: ['district-channels'] });
    } catch (caught) {
      setMessage({ ok: false, text: caught instanceof Error ? caught.message : t('errors.generic') });
    }
  };
  const add = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const added = await api<Channel>('POST', '/api/v1/district/channels', { kind, address });
      setAddress('');
      return t('inboundChannels.added', { address: added.address });
    });
  };
  const remove = (channel: Channel) =>
    act(async () => {
      await api('DELETE', `/api/v1/district/channels/${channel.id}`);
      setConfirming(null);
      return t('inboundChannels.removed', { address: channel.address });
    });

  return (
    <Card withBorder component="section" aria-labelledby="inbound-channels">
      <Title order={2} size="h3" id="inbound-channels" mb="xs">
        {t('inboundChannels.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('inboundChannels.help')}
      </Text>
      <Stack gap="sm">
        {message && (
          <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </Alert>
        )}
        {query.error && (
          <Alert color="red" role="alert">
            {query.error.message}
          </Alert>
        )}
        {query.data && query.data.length === 0 && <Text>{t('inboundChannels.none')}</Text>}
        {query.data && query.data.length > 0 && (
          <List listStyleType="none" spacing="xs" aria-label={t('inboundChannels.title')}>
            {query.data.map((channel) => (
              <List.Item key={channel.id}>
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <div>
                    <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                      {channel.address}
                    </Text>
                    <Text size="sm" c="dimmed">
                      {t(`inboundChannels.kinds.${channel.kind}`)} ·{' '}
                      {t('inboundChannels.since', { date: new Date(channel.createdAt).toLocaleDateString(i18n.language, { dateStyle: 'medium' }) })}
                    </Text>
                  </div>
                  <Button
                    variant="default"
                    color="red"
                    onClick={() => setConfirming(channel)}
                    aria-label={t('inboundChannels.removeLabel', { address: channel.address })}
                  >
                    {t('inboundChannels.remove')}
                  </Button>
                </Group>
                {confirming?.id === channel.id && (
                  <Alert color="orange" mt="xs">
                    <Text size="sm" mb="xs">
                      {t('inboundChannels.confirmRemove', { address: channel.address })}
                    </Text>
                    <Group gap="xs">
                      <Button color="red" size="sm" onClick={() => remove(channel)}>
                        {t('inboundChannels.confirm')}
                      </Button>
                      <Button variant="default" size="sm" onClick={() => setConfirming(null)}>
                        {t('inboundChannels.cancel')}
                      </Button>
                    </Group>
                  </Alert>
                )}
              </List.Item>
            ))}
          </List>
        )}
        <form onSubmit={add}>
          <Stack gap="sm">
            <Radio.Group label={t('inboundChannels.kind')} value={kind} onChange={(value) => setKind(value as Kind)}>
              <Group mt={4} gap="md">
                <Radio value="sms" label={t('inboundChannels.kinds.sms')} />
                <Radio value="email" label={t('inboundChannels.kinds.email')} />
              </Group>
            </Radio.Group>
            <TextInput
              label={t(kind === 'sms' ? 'inboundChannels.number' : 'inboundChannels.address')}
              description={t(kind === 'sms' ? 'inboundChannels.smsHelp' : 'inboundChannels.emailHelp')}
              value={address}
              onChange={(event) => setAddress(event.currentTarget.value)}
              type={kind === 'sms' ? 'tel' : 'email'}
              autoComplete="off"
              maxLength={254}
              required
            />
            <Button type="submit" w="fit-content">
              {t('inboundChannels.add')}
            </Button>
          </Stack>
        </form>
      </Stack>
    </Card>
  );
}

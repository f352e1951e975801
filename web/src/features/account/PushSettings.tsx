import { Alert, Button, Card, Group, List, Stack, Switch, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PushDevice, PushResult } from '../../../../src/features/accounts/push.schema';
import { ApiError, api } from '../../api';
import { alertSoundOn, currentSubscription, PushPermissionError, pushSupported, setAlertSound, turnOffPush, turnOnPush } from './pushClient';

type Message = { ok: boolean; text: string } | null;

/**
 * Turns alerts on a locked phone or closed laptop on and off for this browser (Web Push), lists
 * the person's other devices, and sets the open app's chime. Decision 30.
 */
export function PushSettings() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const supported = pushSupported();
  const [subscribed, setSubscribed] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const [sound, setSound] = useState(alertSoundOn);
  const devices = useQuery({ queryKey: ['push-devices'], queryFn: () => api<{ items: PushDevice[] }>('GET', '/api/v1/me/push-subscriptions') });
  const blocked = supported && Notification.permission === 'denied';

  useEffect(() => {
    if (!supported) return;
    void currentSubscription().then((subscription) => setSubscribed(subscription !== null));
  }, [supported]);

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['push-devices'] });
  const run = async (work: () => Promise<Message>) => {
    setBusy(true);
    try {
      setMessage(await work());
    } catch (caught) {
      if (caught instanceof PushPermissionError) setMessage({ ok: false, text: t('push.blocked') });
      // The server's messages are plain language; a browser's own errors are technical, so they get the general one.
      else setMessage({ ok: false, text: caught instanceof ApiError ? caught.message : t('push.failed') });
    } finally {
      setBusy(false);
      setSubscribed((await currentSubscription().catch(() => null)) !== null);
      await refresh();
    }
  };
  const turnOn = () =>
    run(async () => {
      await turnOnPush();
      return { ok: true, text: t('push.on') };
    });
  const turnOff = () =>
    run(async () => {
      await turnOffPush();
      return { ok: true, text: t('push.off') };
    });
  const sendTest = () =>
    run(async () => {
      const result = await api<PushResult>('POST', '/api/v1/me/push-subscriptions/test');
      return { ok: result.failed === 0, text: t('push.testResult', result) };
    });
  const remove = async (id: string) => {
    await api('DELETE', `/api/v1/me/push-subscriptions/${id}`).catch(() => undefined);
    await refresh();
    setSubscribed((await currentSubscription().catch(() => null)) !== null);
  };
  const when = (value: string) => new Date(value).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const items = devices.data?.items ?? [];

  return (
    <Card withBorder component="section" aria-labelledby="push-heading">
      <Title order={2} size="h3" id="push-heading" mb="xs">
        {t('push.title')}
      </Title>
      <Stack>
        <Text size="sm">{t('push.help')}</Text>
        {!supported && <Alert color="gray">{t('push.unsupported')}</Alert>}
        {blocked && (
          <Alert variant="outline" color="#8a4b00">
            {t('push.blocked')}
          </Alert>
        )}
        {supported && subscribed !== null && (
          <Text fw={600} role="status">
            {subscribed ? t('push.on') : t('push.off')}
          </Text>
        )}
        {message && (
          <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </Alert>
        )}
        {supported && (
          <Group gap="sm">
            {subscribed ? (
              <Button variant="outline" onClick={turnOff} loading={busy}>
                {t('push.turnOff')}
              </Button>
            ) : (
              <Button onClick={turnOn} loading={busy} disabled={blocked}>
                {t('push.turnOn')}
              </Button>
            )}
            {items.length > 0 && (
              <Button variant="light" onClick={sendTest} loading={busy}>
                {t('push.test')}
              </Button>
            )}
          </Group>
        )}
        <Switch
          label={t('push.sound')}
          checked={sound}
          onChange={(event) => {
            setSound(event.currentTarget.checked);
            setAlertSound(event.currentTarget.checked);
          }}
        />
        <Title order={3} size="h4">
          {t('push.devices')}
        </Title>
        {items.length === 0 ? (
          <Text size="sm">{t('push.noDevices')}</Text>
        ) : (
          <List listStyleType="none" spacing="xs">
            {items.map((device) => (
              <List.Item key={device.id}>
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <div>
                    <Text fw={600}>{device.label ?? t('push.unnamed')}</Text>
                    <Text size="sm" c="dimmed">
                      {[
                        t('push.added', { date: when(device.createdAt) }),
                        device.lastSuccessAt && t('push.lastSent', { date: when(device.lastSuccessAt) }),
                        device.lastFailureAt && t('push.lastFailed', { date: when(device.lastFailureAt) }),
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </Text>
                  </div>
                  <Button
                    variant="subtle"
                    color="red.9"
                    size="xs"
                    onClick={() => remove(device.id)}
                    aria-label={t('push.removeDevice', { device: device.label ?? t('push.unnamed') })}
                  >
                    {t('push.remove')}
                  </Button>
                </Group>
              </List.Item>
            ))}
          </List>
        )}
        <Text size="sm" c="dimmed">
          {t('push.install')}
        </Text>
      </Stack>
    </Card>
  );
}

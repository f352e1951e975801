import { Alert, Button, Card, Group, Loader, PasswordInput, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RosterSettingsView } from '../../../../src/features/roster/roster.schema';
import { api } from '../../api';
import { RosterSummaryAlert, type Summary } from './RosterImportCard';

type Draft = { baseUrl: string; tokenUrl: string; clientId: string; clientSecret: string; version: '1.1' | '1.2'; nightly: boolean; syncTime: string };

const draftOf = (s: RosterSettingsView): Draft => ({
  baseUrl: s.baseUrl ?? '',
  tokenUrl: s.tokenUrl ?? '',
  clientId: s.clientId ?? '',
  clientSecret: '',
  version: s.version ?? '1.2',
  nightly: s.syncTime !== null,
  syncTime: s.syncTime ?? '02:00',
});

/**
 * District settings: the OneRoster REST source the roster syncs from (the SIS, Clever or
 * ClassLink), the nightly time, and "sync now". The client secret is write-only: the server says
 * only whether one is stored, so it never reaches a browser again.
 */
export function RosterSyncCard() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['roster-settings'], queryFn: () => api<RosterSettingsView>('GET', '/api/v1/roster/settings') });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState<'save' | 'check' | 'sync' | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  useEffect(() => {
    if (query.data) setDraft(draftOf(query.data));
  }, [query.data]);
  if (query.error)
    return (
      <Alert color="red" role="alert">
        {query.error.message}
      </Alert>
    );
  if (!draft || !query.data) return <Loader aria-label={t('app.loading')} />;
  const settings = query.data;
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short', timeZone: settings.timeZone });

  const act = async (kind: 'save' | 'check' | 'sync', work: () => Promise<string | null>) => {
    setBusy(kind);
    setMessage(null);
    try {
      const text = await work();
      if (text) setMessage({ ok: true, text });
    } catch (caught) {
      setMessage({ ok: false, text: caught instanceof Error ? caught.message : t('errors.generic') });
    } finally {
      setBusy(null);
      await queryClient.invalidateQueries({ queryKey: ['roster-settings'] });
      await queryClient.invalidateQueries({ queryKey: ['roster-imports'] });
    }
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    void act('save', async () => {
      await api('PUT', '/api/v1/roster/settings', {
        baseUrl: draft.baseUrl.trim() || null,
        tokenUrl: draft.tokenUrl.trim() || null,
        clientId: draft.clientId.trim() || null,
        ...(draft.clientSecret ? { clientSecret: draft.clientSecret } : {}),
        version: draft.version,
        syncTime: draft.nightly ? draft.syncTime : null,
      });
      setDraft({ ...draft, clientSecret: '' });
      return t('rosterSync.saved');
    });
  };
  const sync = (dryRun: boolean) =>
    act(dryRun ? 'check' : 'sync', async () => {
      setSummary(null);
      setSummary(await api<Summary>('POST', `/api/v1/roster/syncs?dryRun=${dryRun}`));
      return null;
    });
  const configured = Boolean(settings.baseUrl && settings.clientSecretSet);

  return (
    <Card withBorder component="section" aria-labelledby="roster-sync">
      <Title order={2} size="h3" id="roster-sync" mb="xs">
        {t('rosterSync.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('rosterSync.help')}
      </Text>
      <form onSubmit={save}>
        <Stack gap="sm">
          <TextInput
            label={t('rosterSync.baseUrl')}
            description={t('rosterSync.baseUrlHelp')}
            type="url"
            inputMode="url"
            autoComplete="off"
            value={draft.baseUrl}
            onChange={(e) => setDraft({ ...draft, baseUrl: e.currentTarget.value })}
            maxLength={500}
          />
          <TextInput
            label={t('rosterSync.tokenUrl')}
            type="url"
            inputMode="url"
            autoComplete="off"
            value={draft.tokenUrl}
            onChange={(e) => setDraft({ ...draft, tokenUrl: e.currentTarget.value })}
            maxLength={500}
          />
          <TextInput
            label={t('rosterSync.clientId')}
            autoComplete="off"
            value={draft.clientId}
            onChange={(e) => setDraft({ ...draft, clientId: e.currentTarget.value })}
            maxLength={300}
          />
          <PasswordInput
            label={t('rosterSync.clientSecret')}
            description={settings.clientSecretSet ? t('rosterSync.secretKept') : t('rosterSync.secretNone')}
            autoComplete="new-password"
            value={draft.clientSecret}
            onChange={(e) => setDraft({ ...draft, clientSecret: e.currentTarget.value })}
            maxLength={2000}
          />
          <Select
            label={t('rosterSync.version')}
            data={[
              { value: '1.1', label: 'OneRoster 1.1' },
              { value: '1.2', label: 'OneRoster 1.2' },
            ]}
            value={draft.version}
            onChange={(value) => value && setDraft({ ...draft, version: value as Draft['version'] })}
            allowDeselect={false}
          />
          <Switch
            label={t('rosterSync.nightly')}
            description={t('rosterSync.nightlyHelp', { timeZone: settings.timeZone })}
            checked={draft.nightly}
            onChange={(e) => setDraft({ ...draft, nightly: e.currentTarget.checked })}
          />
          {draft.nightly && (
            <TextInput
              label={t('rosterSync.syncTime')}
              type="time"
              value={draft.syncTime}
              onChange={(e) => setDraft({ ...draft, syncTime: e.currentTarget.value })}
              w="fit-content"
            />
          )}
          {message && (
            <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>
              {message.text}
            </Alert>
          )}
          <Button type="submit" w="fit-content" loading={busy === 'save'}>
            {t('rosterSync.save')}
          </Button>
        </Stack>
      </form>
      <Stack gap="xs" mt="md" aria-live="polite">
        <Text size="sm">
          {settings.lastSync
            ? settings.lastSync.outcome === 'succeeded'
              ? t('rosterSync.lastOk', { when: when(settings.lastSync.at) })
              : t('rosterSync.lastFailed', { when: when(settings.lastSync.at), error: settings.lastSync.error ?? '' })
            : t('rosterSync.never')}
        </Text>
        {configured && <Text size="sm">{settings.deltaFrom ? t('rosterSync.nextDelta', { when: when(settings.deltaFrom) }) : t('rosterSync.nextFull')}</Text>}
      </Stack>
      {summary && (
        <Stack mt="sm">
          <RosterSummaryAlert summary={summary} />
        </Stack>
      )}
      <Group mt="sm">
        <Button variant="default" onClick={() => sync(true)} disabled={!configured || busy !== null} loading={busy === 'check'}>
          {t('rosterSync.check')}
        </Button>
        <Button onClick={() => sync(false)} disabled={!configured || busy !== null} loading={busy === 'sync'}>
          {t('rosterSync.syncNow')}
        </Button>
      </Group>
    </Card>
  );
}

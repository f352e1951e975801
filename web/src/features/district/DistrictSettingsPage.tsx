import { Alert, Button, Card, Loader, NumberInput, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DistrictSettings } from '../../../../src/features/districts/districts.schema';
import { api } from '../../api';
import { AccessRequestsSection } from './AccessRequestsSection';
import { ChannelsSection } from './ChannelsSection';
import { OutboxSummaryCard } from './OutboxPage';
import { RosterImportCard } from './RosterImportCard';
import { RosterSyncCard } from './RosterSyncCard';
import { SsoSection } from './SsoSection';
import { StudentCsvCard } from './StudentCsvCard';

type Settings = DistrictSettings;

/** District administrators: two-step sign-in, the district's time zone, the screening consent policy. */
export function DistrictSettingsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['district-settings'], queryFn: () => api<Settings>('GET', '/api/v1/district/settings') });
  const [draft, setDraft] = useState<Settings | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (query.data) setDraft(query.data);
  }, [query.data]);
  if (query.error)
    return (
      <Alert color="red" role="alert">
        {query.error.message}
      </Alert>
    );
  if (!draft) return <Loader aria-label={t('app.loading')} />;
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('PATCH', '/api/v1/district/settings', { ...draft, name: undefined });
      setMessage({ ok: true, text: t('district.saved') });
      await queryClient.invalidateQueries();
    } catch (caught) {
      setMessage({ ok: false, text: caught instanceof Error ? caught.message : t('errors.generic') });
    }
  };
  return (
    <Stack maw={640}>
      <Title order={1}>{t('district.title')}</Title>
      <Text>{draft.name}</Text>
      <Card withBorder>
        <form onSubmit={save}>
          <Stack>
            {message && (
              <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>
                {message.text}
              </Alert>
            )}
            <Switch
              label={t('district.mfaRequired')}
              description={t('district.mfaRequiredHelp')}
              checked={draft.mfaRequired}
              onChange={(e) => setDraft({ ...draft, mfaRequired: e.currentTarget.checked })}
            />
            <Switch
              label={t('district.staffSeeWholeSchool')}
              description={t('district.staffSeeWholeSchoolHelp')}
              checked={draft.staffSeeWholeSchool}
              onChange={(e) => setDraft({ ...draft, staffSeeWholeSchool: e.currentTarget.checked })}
            />
            <TextInput
              label={t('district.timeZone')}
              description={t('district.timeZoneHelp')}
              value={draft.timeZone}
              onChange={(e) => setDraft({ ...draft, timeZone: e.currentTarget.value })}
              maxLength={64}
            />
            <Select
              label={t('district.screeningConsent')}
              description={t('district.screeningConsentHelp')}
              data={[
                { value: 'passive', label: t('district.consentPassive') },
                { value: 'active', label: t('district.consentActive') },
              ]}
              value={draft.screeningConsent}
              onChange={(value) => value && setDraft({ ...draft, screeningConsent: value as Settings['screeningConsent'] })}
              allowDeselect={false}
            />
            <NumberInput
              label={t('district.selfConsentAge')}
              min={10}
              max={18}
              value={draft.screeningSelfConsentAge}
              onChange={(value) => setDraft({ ...draft, screeningSelfConsentAge: Number(value) })}
            />
            <NumberInput
              label={t('district.noticeDays')}
              min={0}
              max={60}
              value={draft.screeningNoticeDays}
              onChange={(value) => setDraft({ ...draft, screeningNoticeDays: Number(value) })}
            />
            <NumberInput
              label={t('district.followUpDays')}
              min={0}
              max={20}
              value={draft.screeningFollowUpDays}
              onChange={(value) => setDraft({ ...draft, screeningFollowUpDays: Number(value) })}
            />
            <NumberInput
              label={t('district.smallCell')}
              description={t('district.smallCellHelp')}
              min={5}
              max={30}
              value={draft.smallCellThreshold}
              onChange={(value) => setDraft({ ...draft, smallCellThreshold: Number(value) })}
            />
            <NumberInput
              label={t('district.perCounselor')}
              min={50}
              max={2000}
              value={draft.studentsPerCounselor}
              onChange={(value) => setDraft({ ...draft, studentsPerCounselor: Number(value) })}
            />
            <Button type="submit" w="fit-content">
              {t('district.save')}
            </Button>
          </Stack>
        </form>
      </Card>
      <OutboxSummaryCard />
      <RosterImportCard />
      <RosterSyncCard />
      <StudentCsvCard />
      <ChannelsSection />
      <SsoSection />
      <AccessRequestsSection />
    </Stack>
  );
}

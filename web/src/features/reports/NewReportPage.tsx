import { Alert, Anchor, Button, Checkbox, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { carriesReportingDuty, reportCategories as categories, staffChannels as channels, urgencies } from '../../../../src/data/reports.values';
import type { ReportCreated } from '../../../../src/features/crisis-reports/crisis-reports.schema';
import { api } from '../../api';
import { useSession } from '../../session';
import { AbuseDutyReminder } from '../cases/AbuseDutyReminder';

/**
 * Staff record a phone call, a walk-in, their own concern, or a state tip line report (by ID only).
 * Whoever files a concern of abuse or neglect is told, before and after saving, that the duty to
 * report it is their own (C.R.S. 19-3-304): filing it here or telling the principal is not enough.
 */
export function NewReportPage() {
  const { t } = useTranslation();
  const { me, schoolId } = useSession();
  const navigate = useNavigate();
  const [channel, setChannel] = useState<string>('staff_concern');
  const [school, setSchool] = useState<string | null>(schoolId ?? me?.schools[0]?.id ?? null);
  const [category, setCategory] = useState<string>('other');
  const [urgency, setUrgency] = useState<string>('routine');
  const [description, setDescription] = useState('');
  const [about, setAbout] = useState('');
  const [tipLineId, setTipLineId] = useState('');
  const [household, setHousehold] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [savedAbuse, setSavedAbuse] = useState<string | null>(null);
  const tipLine = channel === 'state_tip_line';
  const abuse = carriesReportingDuty(category);
  const next = (reportId: string) => (me?.abilities.handleReports ? `/reports/${reportId}` : '/students');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const created = await api<ReportCreated>('POST', '/api/v1/reports/staff', {
        channel,
        school: school ?? undefined,
        category,
        urgency,
        description: tipLine ? '' : description,
        about: about || undefined,
        stateTipLineId: tipLine ? tipLineId : undefined,
        householdConcern: abuse && household ? true : undefined,
      });
      // An abuse concern stays on this page: the reminder that the duty is theirs must be read, not flashed.
      if (abuse) setSavedAbuse(created.id);
      else navigate(next(created.id), { state: { notice: t('newReport.saved') } });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : t('errors.generic'));
    }
  };
  if (savedAbuse)
    return (
      <Stack maw={640}>
        <Title order={1}>{t('newReport.title')}</Title>
        <Alert role="status" title={t('newReport.saved')}>
          {t('newReport.abuseSaved')}
        </Alert>
        <AbuseDutyReminder />
        <Anchor component={Link} to={next(savedAbuse)} underline="always">
          {t('newReport.continue')}
        </Anchor>
      </Stack>
    );
  return (
    <Stack maw={640}>
      <Title order={1}>{t('newReport.title')}</Title>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <form onSubmit={submit}>
        <Stack>
          <Select
            label={t('newReport.channel')}
            data={channels.map((c) => ({ value: c, label: t(`newReport.channels.${c}`) }))}
            value={channel}
            onChange={(v) => v && setChannel(v)}
            allowDeselect={false}
          />
          <Select
            label={t('reports.school')}
            data={(me?.schools ?? []).map((s) => ({ value: s.id, label: s.name }))}
            value={school}
            onChange={setSchool}
            clearable
          />
          <Select
            label={t('reports.category')}
            data={categories.map((c) => ({ value: c, label: t(`categories.${c}`) }))}
            value={category}
            onChange={(v) => v && setCategory(v)}
            allowDeselect={false}
          />
          {abuse && <AbuseDutyReminder />}
          {abuse && (
            <Checkbox
              label={t('newReport.household')}
              description={t('newReport.householdHelp')}
              checked={household}
              onChange={(e) => setHousehold(e.currentTarget.checked)}
            />
          )}
          <Select
            label={t('reports.urgency')}
            data={urgencies.map((u) => ({ value: u, label: t(`urgencies.${u}`) }))}
            value={urgency}
            onChange={(v) => v && setUrgency(v)}
            allowDeselect={false}
          />
          {tipLine ? (
            <TextInput
              label={t('report.stateTipLine')}
              description={t('newReport.tipLineHelp')}
              value={tipLineId}
              onChange={(e) => setTipLineId(e.currentTarget.value)}
              required
              maxLength={64}
            />
          ) : (
            <Textarea
              label={t('report.description')}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              required
              minRows={4}
              maxLength={5000}
            />
          )}
          <TextInput label={t('report.about')} value={about} onChange={(e) => setAbout(e.currentTarget.value)} maxLength={200} />
          <Button type="submit" w="fit-content">
            {t('newReport.submit')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}

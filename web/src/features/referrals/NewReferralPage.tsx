import { Alert, Anchor, Button, Card, Checkbox, Group, NumberInput, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Matches as Matched } from '../../../../src/features/partners/partners.schema';
import { insurances, modalities, serviceTypes } from '../../../../src/features/referrals/matching.rules';
import type { ReferralCreated } from '../../../../src/features/referrals/referrals.schema';
import type { StudentView } from '../../../../src/features/students/students.schema';
import { api } from '../../api';
import { FamilyLanguageSelect } from '../../ui/FamilyLanguageSelect';
import { MatchReasonList } from '../partners/MatchReasonList';
import { matchReasonWords } from '../partners/matchReasons';

type Student = StudentView;

/**
 * Age today from the birth date, or null without one. Never guessed from the grade: the server
 * decides who may consent from the birth date alone, and the page must not suggest otherwise.
 */
function ageOf(s: Student): number | null {
  const dob = s.protected?.dateOfBirth;
  if (!dob) return null;
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
  const now = new Date();
  return now.getFullYear() - y - (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d) ? 1 : 0);
}

/**
 * Referring a student: what they need and what the family prefers, the matching services ranked
 * with reasons, then a draft. Nothing is sent until consent is recorded on the next page.
 */
export function NewReferralPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const studentId = params.get('student') ?? '';
  const student = useQuery({ queryKey: ['student', studentId], queryFn: () => api<Student>('GET', `/api/v1/students/${studentId}`), enabled: !!studentId });
  if (!studentId) return <Alert color="red">{t('referrals.chooseStudent')}</Alert>;
  if (student.error) return <Alert color="red">{student.error.message}</Alert>;
  if (!student.data) return <Text>{t('app.loading')}</Text>;
  return <NeedForm student={student.data} source={params.get('source') ?? 'direct'} sourceId={params.get('sourceId') ?? undefined} />;
}

function NeedForm({ student, source, sourceId }: { student: Student; source: string; sourceId: string | undefined }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const knownAge = ageOf(student);
  // Without a birth date the counselor gives the age (asked of the guardian) for matching only.
  const [matchAge, setMatchAge] = useState<number | string>('');
  const [need, setNeed] = useState({
    serviceType: 'counseling',
    urgency: 'routine',
    language: student.homeLanguage,
    languageRequired: student.homeLanguage !== 'en',
    insurance: 'medicaid',
    modality: '',
    times: '',
    providerGender: '',
    location: '',
    familySharedNote: '',
  });
  const set = (change: Partial<typeof need>) => setNeed({ ...need, ...change });
  const match = useMutation({
    mutationFn: () =>
      api<Matched>('POST', '/api/v1/referrals/match', {
        serviceType: need.serviceType,
        age: knownAge ?? Number(matchAge),
        language: need.language,
        languageRequired: need.languageRequired,
        insurance: need.insurance,
        modality: need.modality || undefined,
      }),
  });
  const create = useMutation({
    mutationFn: (serviceId: string) =>
      api<ReferralCreated>('POST', '/api/v1/referrals', {
        studentId: student.id,
        serviceId,
        source,
        sourceId,
        serviceType: need.serviceType,
        urgency: need.urgency,
        preferences: {
          language: need.language,
          languageRequired: need.languageRequired,
          insurance: need.insurance,
          modality: need.modality || undefined,
          times: need.times || undefined,
          providerGender: need.providerGender || undefined,
          location: need.location || undefined,
        },
        familySharedNote: need.familySharedNote || undefined,
      }),
    onSuccess: (r) => navigate(`/referrals/${r.id}`, { state: { warnings: r.warnings } }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    match.mutate();
  };
  return (
    <>
      <Anchor component={Link} to={`/students/${student.id}`}>
        ← {student.firstName} {student.lastName}
      </Anchor>
      <Title order={1} my="md">
        {t('referrals.newTitle', { name: `${student.firstName} ${student.lastName}` })}
      </Title>
      <form onSubmit={submit}>
        <Stack gap="sm" maw={680}>
          {knownAge === null && (
            <>
              <Alert variant="outline" color="#8a4b00" role="status">
                {t('referrals.noBirthDate')}
              </Alert>
              <NumberInput
                label={t('referrals.matchAge')}
                description={t('referrals.matchAgeHelp')}
                value={matchAge}
                onChange={setMatchAge}
                min={3}
                max={22}
                required
              />
            </>
          )}
          <Group grow>
            <Select
              label={t('partners.need')}
              data={serviceTypes.map((s) => ({ value: s, label: t(`partners.types.${s}`) }))}
              value={need.serviceType}
              onChange={(v) => v && set({ serviceType: v })}
              allowDeselect={false}
            />
            <Select
              label={t('referrals.urgency')}
              data={['routine', 'urgent', 'asap'].map((u) => ({ value: u, label: t(`referrals.urgencies.${u}`) }))}
              value={need.urgency}
              onChange={(v) => v && set({ urgency: v })}
              allowDeselect={false}
            />
          </Group>
          <Group grow>
            <FamilyLanguageSelect label={t('partners.language')} value={need.language} onChange={(language) => set({ language: language })} />
            <Select
              label={t('partners.insurance')}
              data={insurances.map((s) => ({ value: s, label: t(`partners.insurances.${s}`) }))}
              value={need.insurance}
              onChange={(v) => v && set({ insurance: v })}
              allowDeselect={false}
            />
            <Select
              label={t('partners.modality')}
              data={[{ value: '', label: t('partners.any') }, ...modalities.map((s) => ({ value: s, label: t(`partners.modalities.${s}`) }))]}
              value={need.modality}
              onChange={(v) => set({ modality: v ?? '' })}
              allowDeselect={false}
            />
          </Group>
          <Checkbox
            label={t('partners.languageRequired')}
            checked={need.languageRequired}
            onChange={(e) => set({ languageRequired: e.currentTarget.checked })}
          />
          <Group grow>
            <TextInput label={t('referrals.times')} value={need.times} onChange={(e) => set({ times: e.currentTarget.value })} />
            <TextInput label={t('referrals.providerGender')} value={need.providerGender} onChange={(e) => set({ providerGender: e.currentTarget.value })} />
            <TextInput label={t('referrals.location')} value={need.location} onChange={(e) => set({ location: e.currentTarget.value })} />
          </Group>
          <Textarea
            label={t('referrals.familyNote')}
            description={t('referrals.familyNoteHelp')}
            value={need.familySharedNote}
            onChange={(e) => set({ familySharedNote: e.currentTarget.value })}
            autosize
            minRows={2}
          />
          <Text size="sm">{t('referrals.consentNext')}</Text>
          <Group>
            <Button type="submit">{t('partners.findButton')}</Button>
          </Group>
        </Stack>
      </form>
      {(match.error || create.error) && (
        <Alert color="red" mt="md">
          {(match.error ?? create.error)?.message}
        </Alert>
      )}
      {match.data && (
        <Stack mt="md" gap="xs" aria-live="polite">
          <Title order={2} size="h3">
            {t('referrals.matches')}
          </Title>
          {match.data.ranked.length === 0 && <Text>{t('partners.noMatch')}</Text>}
          {match.data.ranked.map((m, i) => (
            <Card key={m.service.id} withBorder>
              <Group justify="space-between" align="flex-start">
                <div>
                  <Text fw={700}>
                    {i + 1}. {m.service.name}
                  </Text>
                  <MatchReasonList match={m} />
                </div>
                <Button onClick={() => create.mutate(m.service.id)} loading={create.isPending} aria-label={t('referrals.referTo', { name: m.service.name })}>
                  {t('referrals.refer')}
                </Button>
              </Group>
            </Card>
          ))}
          {match.data.excluded.length > 0 && (
            <Text size="sm">
              {t('partners.excluded')}:{' '}
              {match.data.excluded.map((e) => `${e.service.name} (${e.reasons.map((r) => matchReasonWords(t, r, i18n.language)).join('; ')})`).join(' · ')}
            </Text>
          )}
        </Stack>
      )}
    </>
  );
}

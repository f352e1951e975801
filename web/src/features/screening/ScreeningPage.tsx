import { Alert, Anchor, Button, Card, Checkbox, Group, MultiSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { InstrumentList, ScreeningWindow } from '../../../../src/features/screening/screening.schema';
import { api } from '../../api';
import { useSession } from '../../session';
import { dayLabel, useInstrumentNames } from '../../ui/labels';
import { ScrollTable } from '../../ui/ScrollTable';
import { ImportResultsCard } from './ImportResultsCard';

export type { ScreeningWindow };

const grades = ['K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'];

/** Screening windows, and a form to open one (screening leads only). */
export function ScreeningPage() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const instruments = useInstrumentNames();
  const windows = useQuery({ queryKey: ['screening', 'windows'], queryFn: () => api<ScreeningWindow[]>('GET', '/api/v1/screening/windows') });
  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={1}>{t('screening.title')}</Title>
        {me?.abilities.screeningFollowUps && (
          <Anchor component={Link} to="/screening/follow-ups">
            {t('screening.followUps')}
          </Anchor>
        )}
      </Group>
      <Text mb="md">{t('screening.intro')}</Text>
      {windows.error && <Alert color="red">{windows.error.message}</Alert>}
      {windows.data && windows.data.length === 0 && <Text>{t('screening.noWindows')}</Text>}
      {windows.data && windows.data.length > 0 && (
        <ScrollTable label={t('screening.title')} minWidth={560}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('screening.window')}</Table.Th>
                <Table.Th scope="col">{t('screening.dates')}</Table.Th>
                <Table.Th scope="col">{t('screening.grades')}</Table.Th>
                <Table.Th scope="col">{t('screening.instruments')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {windows.data.map((w) => (
                <Table.Tr key={w.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/screening/windows/${w.id}`}>
                      {w.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {dayLabel(w.opensOn, i18n.language)} – {dayLabel(w.closesOn, i18n.language)}
                  </Table.Td>
                  <Table.Td>{w.grades.join(', ')}</Table.Td>
                  <Table.Td>{w.instrumentIds.map((i) => instruments.name(i)).join(', ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {me?.abilities.manageScreening && <NewWindowCard />}
      {me?.abilities.manageScreening && me.roles.some((r) => r.schoolId === null) && <ImportCard />}
    </>
  );
}

function ImportCard() {
  const { i18n } = useTranslation();
  const instruments = useQuery({ queryKey: ['instruments'], queryFn: () => api<InstrumentList>('GET', '/api/v1/instruments') });
  return <ImportResultsCard instruments={(instruments.data ?? []).map((i) => ({ id: i.id, label: i.title[i18n.language] ?? i.title.en ?? i.id }))} />;
}

function NewWindowCard() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const instruments = useQuery({ queryKey: ['instruments'], queryFn: () => api<InstrumentList>('GET', '/api/v1/instruments') });
  const [name, setName] = useState('');
  const [schoolIds, setSchoolIds] = useState<string[]>([]);
  const [chosenGrades, setGrades] = useState<string[]>([]);
  const [instrumentIds, setInstrumentIds] = useState<string[]>([]);
  const [opensOn, setOpensOn] = useState('');
  const [closesOn, setClosesOn] = useState('');
  const [done, setDone] = useState(false);
  const create = useMutation({
    mutationFn: () => api<{ id: string }>('POST', '/api/v1/screening/windows', { name, schoolIds, grades: chosenGrades, instrumentIds, opensOn, closesOn }),
    onSuccess: () => {
      setDone(true);
      setName('');
      void queryClient.invalidateQueries({ queryKey: ['screening', 'windows'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    create.mutate();
  };
  const studentInstruments = (instruments.data ?? []).filter((i) => i.respondent === 'student');
  return (
    <Card withBorder mt="xl" component="section" aria-labelledby="new-window">
      <Title order={2} size="h3" id="new-window" mb="sm">
        {t('screening.newWindow')}
      </Title>
      <form onSubmit={submit}>
        <Stack gap="sm" maw={560}>
          <TextInput label={t('screening.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required />
          <MultiSelect
            label={t('screening.schools')}
            data={(me?.schools ?? []).map((s) => ({ value: s.id, label: s.name }))}
            value={schoolIds}
            onChange={setSchoolIds}
            required
          />
          <MultiSelect label={t('screening.grades')} data={grades} value={chosenGrades} onChange={setGrades} required />
          <Checkbox.Group label={t('screening.instruments')} value={instrumentIds} onChange={setInstrumentIds}>
            <Stack gap={6} mt={6}>
              {studentInstruments.map((i) => (
                <Checkbox
                  key={i.id}
                  value={i.id}
                  label={`${i.title[i18n.language] ?? i.title.en}${i.ages ? ` (${i.ages.max === null ? t('screening.minAge', { age: i.ages.min }) : t('screening.ageRange', { min: i.ages.min, max: i.ages.max })})` : ''}`}
                  description={i.ages?.source ?? undefined}
                />
              ))}
            </Stack>
          </Checkbox.Group>
          <Group grow>
            <TextInput type="date" label={t('screening.opens')} value={opensOn} onChange={(e) => setOpensOn(e.currentTarget.value)} required />
            <TextInput type="date" label={t('screening.closes')} value={closesOn} onChange={(e) => setClosesOn(e.currentTarget.value)} required />
          </Group>
          {create.error && (
            <Alert color="red" role="alert">
              {create.error.message}
            </Alert>
          )}
          {done && <Alert role="status">{t('screening.created')}</Alert>}
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('screening.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

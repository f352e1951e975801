import { Alert, Anchor, Badge, Button, Card, Group, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FollowUpList } from '../../../../src/features/screening/screening.schema';
import { api } from '../../api';
import { useWhen } from '../../ui/dates';
import { dayLabel, useInstrumentNames } from '../../ui/labels';
import { ScrollTable } from '../../ui/ScrollTable';
import { useWide } from '../../ui/useWide';

type Entry = FollowUpList[number];

/** Positive screens waiting for a person, oldest due first: follow-up is visible and measured. */
export function FollowUpsPage() {
  const { t, i18n } = useTranslation();
  const { when } = useWhen();
  const wide = useWide();
  const instruments = useInstrumentNames();
  const queryClient = useQueryClient();
  const [includeDone, setIncludeDone] = useState(false);
  const queue = useQuery({
    queryKey: ['screening', 'follow-ups', includeDone],
    queryFn: () => api<FollowUpList>('GET', `/api/v1/screening/follow-ups?includeDone=${includeDone}`),
  });
  const [notes, setNotes] = useState<Record<string, string>>({});
  const record = useMutation({
    mutationFn: (entry: Entry) => api('POST', `/api/v1/screening/results/${entry.id}/follow-up`, { note: notes[entry.id] ?? '' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['screening', 'follow-ups'] }),
  });

  const student = (e: Entry) => (
    <>
      <Anchor component={Link} to={`/students/${e.studentId}`}>
        {e.lastName}, {e.firstName}
      </Anchor>
      <Text size="sm" c="dimmed">
        {e.school} · {t('screening.grade')} {e.grade}
      </Text>
      <Anchor component={Link} to={`/referrals/new?student=${e.studentId}&source=screening&sourceId=${e.id}`} size="sm" underline="always">
        {t('referrals.referName', { name: e.firstName })}
      </Anchor>
    </>
  );
  const result = (e: Entry) => (
    <>
      <Text size="sm" span>
        <abbr title={instruments.title(e.instrumentId)}>{instruments.name(e.instrumentId)}</abbr>:{' '}
        {t(`bands.${e.band ?? 'not_scored'}`, { defaultValue: t('bands.not_scored') })}
      </Text>
      {(e.flags.includes('suicide_risk') || e.flags.includes('risk_unknown') || e.alertReportId) && (
        <Group gap={6} mt={4}>
          {e.flags.includes('suicide_risk') && <Badge color="red.9">{t('screening.suicideRisk')}</Badge>}
          {e.flags.includes('risk_unknown') && <Badge color="#8a4b00">{t('screening.riskUnknown')}</Badge>}
          {e.alertReportId && (
            <Anchor component={Link} to={`/reports/${e.alertReportId}`} size="sm">
              {t('screening.alert')}
            </Anchor>
          )}
        </Group>
      )}
      <Text size="sm" c="dimmed">
        {when(e.administeredAt)}
      </Text>
    </>
  );
  const due = (e: Entry) => (
    <>
      {e.followUpDueOn && dayLabel(e.followUpDueOn, i18n.language)}
      {e.overdue && (
        <Badge ml="xs" color="red.9" variant="outline">
          {t('reports.overdue')}
        </Badge>
      )}
    </>
  );
  const followUp = (e: Entry) =>
    e.followedUpAt ? (
      <Text size="sm">{when(e.followedUpAt)}</Text>
    ) : (
      <Group gap="xs" wrap={wide ? 'nowrap' : 'wrap'} align="end">
        <TextInput
          aria-label={t('screening.followUpNoteFor', { name: `${e.firstName} ${e.lastName}` })}
          placeholder={t('screening.followUpNote')}
          value={notes[e.id] ?? ''}
          onChange={(ev) => setNotes({ ...notes, [e.id]: ev.currentTarget.value })}
          style={{ flex: '1 1 12rem' }}
        />
        <Button
          size="xs"
          onClick={() => record.mutate(e)}
          disabled={!(notes[e.id] ?? '').trim()}
          loading={record.isPending && record.variables?.id === e.id}
          aria-label={t('screening.recordFollowUpFor', { name: `${e.firstName} ${e.lastName}` })}
        >
          {t('screening.recordFollowUp')}
        </Button>
      </Group>
    );

  return (
    <>
      <Anchor component={Link} to="/screening">
        {t('screening.back')}
      </Anchor>
      <Title order={1} mt="sm" mb="xs">
        {t('screening.followUps')}
      </Title>
      <Text mb="md">{t('screening.followUpsIntro')}</Text>
      <Switch label={t('screening.includeDone')} checked={includeDone} onChange={(e) => setIncludeDone(e.currentTarget.checked)} mb="md" />
      {queue.error && <Alert color="red">{queue.error.message}</Alert>}
      {record.error && (
        <Alert color="red" role="alert" mb="sm">
          {record.error.message}
        </Alert>
      )}
      {queue.data && queue.data.length === 0 && <Text>{t('screening.noFollowUps')}</Text>}
      {queue.data && queue.data.length > 0 && wide && (
        <ScrollTable label={t('screening.followUps')} minWidth={760}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('screening.student')}</Table.Th>
                <Table.Th scope="col">{t('screening.result')}</Table.Th>
                <Table.Th scope="col">{t('screening.due')}</Table.Th>
                <Table.Th scope="col">{t('screening.followUp')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {queue.data.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Th scope="row">{student(e)}</Table.Th>
                  <Table.Td>{result(e)}</Table.Td>
                  <Table.Td>{due(e)}</Table.Td>
                  <Table.Td>{followUp(e)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {queue.data && queue.data.length > 0 && !wide && (
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('screening.followUps')}>
          {queue.data.map((e) => (
            <Card key={e.id} component="li" withBorder padding="sm">
              <Text fw={600} component="div">
                {student(e)}
              </Text>
              <Text size="sm" fw={700} mt="xs">
                {t('screening.result')}
              </Text>
              {result(e)}
              <Text size="sm" mt="xs">
                <strong>{t('screening.due')}:</strong> {due(e)}
              </Text>
              <Text size="sm" fw={700} mt="xs" mb={4}>
                {t('screening.followUp')}
              </Text>
              {followUp(e)}
            </Card>
          ))}
        </Stack>
      )}
    </>
  );
}

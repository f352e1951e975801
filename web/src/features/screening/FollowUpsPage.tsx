import { Alert, Anchor, Badge, Button, Group, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api';

type Entry = {
  id: string;
  instrumentId: string;
  band: string | null;
  flags: string[];
  administeredAt: string;
  followUpDueOn: string;
  followedUpAt: string | null;
  alertReportId: string | null;
  studentId: string;
  firstName: string;
  lastName: string;
  localId: string;
  grade: string;
  school: string;
  overdue: boolean;
};

/** Positive screens waiting for a person, oldest due first: follow-up is visible and measured. */
export function FollowUpsPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [includeDone, setIncludeDone] = useState(false);
  const queue = useQuery({
    queryKey: ['screening', 'follow-ups', includeDone],
    queryFn: () => api<Entry[]>('GET', `/api/v1/screening/follow-ups?includeDone=${includeDone}`),
  });
  const [notes, setNotes] = useState<Record<string, string>>({});
  const record = useMutation({
    mutationFn: (entry: Entry) => api('POST', `/api/v1/screening/results/${entry.id}/follow-up`, { note: notes[entry.id] ?? '' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['screening', 'follow-ups'] }),
  });
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
      {queue.data && queue.data.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
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
                  <Table.Th scope="row">
                    <Anchor component={Link} to={`/students/${e.studentId}`}>
                      {e.lastName}, {e.firstName}
                    </Anchor>
                    <Text size="sm" c="dimmed">
                      {e.school} · {t('screening.grade')} {e.grade}
                    </Text>
                    <Anchor component={Link} to={`/referrals/new?student=${e.studentId}&source=screening&sourceId=${e.id}`} size="sm" underline="always">
                      {t('referrals.referName', { name: e.firstName })}
                    </Anchor>
                  </Table.Th>
                  <Table.Td>
                    {e.instrumentId}: {t(`bands.${e.band ?? 'not_scored'}`, { defaultValue: e.band ?? '' })}
                    {e.flags.includes('suicide_risk') && (
                      <Badge ml="xs" color="red.9">
                        {t('screening.suicideRisk')}
                      </Badge>
                    )}
                    {e.flags.includes('risk_unknown') && (
                      <Badge ml="xs" color="orange.9">
                        {t('screening.riskUnknown')}
                      </Badge>
                    )}
                    {e.alertReportId && (
                      <Anchor component={Link} to={`/reports/${e.alertReportId}`} ml="xs" size="sm">
                        {t('screening.alert')}
                      </Anchor>
                    )}
                    <Text size="sm" c="dimmed">
                      {new Date(e.administeredAt).toLocaleString(i18n.language)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {e.followUpDueOn}
                    {e.overdue && (
                      <Badge ml="xs" color="red.9" variant="outline">
                        {t('reports.overdue')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {e.followedUpAt ? (
                      <Text size="sm">{new Date(e.followedUpAt).toLocaleString(i18n.language)}</Text>
                    ) : (
                      <Group gap="xs" wrap="nowrap">
                        <TextInput
                          aria-label={t('screening.followUpNoteFor', { name: `${e.firstName} ${e.lastName}` })}
                          placeholder={t('screening.followUpNote')}
                          value={notes[e.id] ?? ''}
                          onChange={(ev) => setNotes({ ...notes, [e.id]: ev.currentTarget.value })}
                        />
                        <Button size="xs" onClick={() => record.mutate(e)} disabled={!(notes[e.id] ?? '').trim()}>
                          {t('screening.recordFollowUp')}
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}

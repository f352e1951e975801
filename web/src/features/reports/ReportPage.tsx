import { Alert, Anchor, Badge, Button, Card, Grid, Group, List, Loader, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { dispositions } from '../../../../src/data/reports.values';
import type { ReportView as Report } from '../../../../src/features/crisis-reports/crisis-reports.schema';
import { api } from '../../api';
import { useWhen } from '../../ui/dates';
import { channelLabel } from '../../ui/labels';
import { AbuseDutyCard } from './AbuseDutyCard';
import { urgencyColor } from './ReportsPage';
import { triageReasonWords } from './triageReasons';

/** The kind of case a report's category usually starts. */
const caseTypeFor: Record<string, string> = {
  suicide_self_harm: 'suicide_risk',
  harm_to_others: 'threat_to_others',
  weapon: 'threat_to_others',
  abuse_neglect: 'abuse_neglect',
  sexual_assault_dating_violence: 'abuse_neglect',
};

const timeKeys = ['receivedAt', 'acknowledgedAt', 'firstActionAt', 'studentContactedAt', 'connectedToHelpAt', 'closedAt'] as const;

/** One report: acknowledge it, record each step, talk with the reporter, close it. */
export function ReportPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const report = useQuery({ queryKey: ['report', id], queryFn: () => api<Report>('GET', `/api/v1/reports/${encodeURIComponent(id)}`) });
  const [message, setMessage] = useState('');
  const [note, setNote] = useState('');
  const [disposition, setDisposition] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const moment = useWhen();
  const when = (value: string | null) => (value ? moment.when(value) : '—');
  const run = async (work: () => Promise<unknown>) => {
    try {
      setError(null);
      await work();
      await queryClient.invalidateQueries({ queryKey: ['report', id] });
      await queryClient.invalidateQueries({ queryKey: ['reports'] });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : t('errors.generic'));
    }
  };
  if (report.isLoading) return <Loader aria-label={t('app.loading')} />;
  if (!report.data)
    return (
      <Alert color="red" role="alert">
        {report.error?.message ?? t('errors.generic')}
      </Alert>
    );
  const r = report.data;
  const open = r.status !== 'closed';
  const send = (direction: 'to_reporter' | 'internal_note') =>
    run(async () => {
      await api('POST', `/api/v1/reports/${r.id}/messages`, { body: message, direction });
      setMessage('');
    });
  const addNote = (event: FormEvent) => {
    event.preventDefault();
    void send('internal_note');
  };
  return (
    <Stack>
      <Anchor component={Link} to="/reports">
        {t('report.back')}
      </Anchor>
      <Group>
        <Title order={1}>{t(`categories.${r.category}`)}</Title>
        <Badge color={urgencyColor[r.urgency]} variant="filled" size="lg">
          {t(`urgencies.${r.urgency}`)}
        </Badge>
        <Badge variant="outline">{t(`statuses.${r.status}`)}</Badge>
      </Group>
      <Text>
        {r.school?.name ?? t('reports.districtLevel')} · {channelLabel(t, r.channel)} · {when(r.times.receivedAt ?? null)}
      </Text>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {r.throttleGroup ? (
        <Alert variant="outline" color="blue.8" role="note">
          {t('report.throttleGroup', { count: r.throttleGroup.size })}
        </Alert>
      ) : (
        r.throttled && <Text size="sm">{t('report.throttled')}</Text>
      )}
      {r.status === 'received' ? (
        <Alert color="red" title={t('report.waiting')} role="alert">
          <Button color="red.9" size="md" mt="xs" onClick={() => run(() => api('POST', `/api/v1/reports/${r.id}/acknowledge`))}>
            {t('report.acknowledge')}
          </Button>
          {r.incident.some((linked) => linked.status === 'received') && <Text mt="xs">{t('report.takesLinked')}</Text>}
        </Alert>
      ) : (
        r.times.acknowledgedBy && <Text fw={600}>{t('report.acknowledged', { name: r.times.acknowledgedBy })}</Text>
      )}
      {r.status !== 'received' && r.incident.some((linked) => linked.status === 'received') && (
        <Alert color="red.9" variant="outline" role="alert" title={t('report.linkedWaiting')}>
          {t('report.linkedWaitingWhy')}
        </Alert>
      )}
      {r.status !== 'received' && (
        <Button
          variant="default"
          w="fit-content"
          onClick={() =>
            run(async () => {
              const opened = await api<{ id: string }>('POST', '/api/v1/cases', {
                type: caseTypeFor[r.category] ?? 'other_crisis',
                summary: r.description.slice(0, 300) || t(`categories.${r.category}`),
                reportIds: [r.id],
              });
              navigate(`/cases/${opened.id}`);
            })
          }
        >
          {t('report.openCase')}
        </Button>
      )}
      {r.abuseDuty && (
        <AbuseDutyCard
          reportId={r.id}
          duty={r.abuseDuty}
          open={open}
          onDone={async () => {
            await queryClient.invalidateQueries({ queryKey: ['report', id] });
          }}
        />
      )}
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder component="section" aria-labelledby="description-heading">
            <Title order={2} size="h3" id="description-heading">
              {t('report.description')}
            </Title>
            <Text style={{ whiteSpace: 'pre-wrap' }} mt="xs">
              {r.description}
            </Text>
            {r.about && (
              <Text mt="xs">
                <strong>{t('report.about')}:</strong> {r.about}
              </Text>
            )}
            {r.enteredBy && (
              <Text mt="xs">
                <strong>{t('report.enteredBy')}:</strong> {r.enteredBy.name} ({r.enteredBy.email})
              </Text>
            )}
            {(r.contact || !r.enteredBy) && (
              <Text mt="xs">
                <strong>{t('report.contact')}:</strong> {r.contact ?? t('report.anonymous')}
              </Text>
            )}
            {r.stateTipLineId && (
              <Text mt="xs">
                <strong>{t('report.stateTipLine')}:</strong> {r.stateTipLineId}
              </Text>
            )}
            <Title order={3} size="h4" mt="md">
              {t('report.reasons')}
            </Title>
            <List size="sm">
              {r.triageReasons
                .map((reason) => triageReasonWords(t, reason, i18n.language))
                .map((words) => (
                  <List.Item key={words}>{words}</List.Item>
                ))}
            </List>
          </Card>
          <Card withBorder component="section" mt="md" aria-labelledby="conversation-heading">
            <Title order={2} size="h3" id="conversation-heading">
              {t('report.conversation')}
            </Title>
            {r.messages.map((m) => (
              <Text key={m.id} mt="xs" style={{ whiteSpace: 'pre-wrap' }}>
                <strong>
                  {m.direction === 'from_reporter'
                    ? t('report.fromReporter')
                    : m.direction === 'to_reporter'
                      ? t('report.toReporter')
                      : t('report.internalNote')}
                  {m.author ? ` (${m.author})` : ''} · {when(m.at)}:
                </strong>{' '}
                {m.body}
              </Text>
            ))}
            {open && (
              <form onSubmit={addNote}>
                <Textarea label={t('report.message')} value={message} onChange={(e) => setMessage(e.currentTarget.value)} maxLength={5000} mt="sm" required />
                <Group mt="xs">
                  {r.canReply && (
                    <Button type="button" onClick={() => send('to_reporter')} disabled={!message.trim()}>
                      {t('report.sendToReporter')}
                    </Button>
                  )}
                  <Button type="submit" variant="light" disabled={!message.trim()}>
                    {t('report.addNote')}
                  </Button>
                </Group>
              </form>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder component="section" aria-labelledby="times-heading">
            <Title order={2} size="h3" id="times-heading">
              {t('report.times')}
            </Title>
            <Table mt="xs">
              <Table.Tbody>
                {timeKeys.map((key) => (
                  <Table.Tr key={key}>
                    <Table.Th scope="row">{t(`report.${key}`)}</Table.Th>
                    <Table.Td>{when(r.times[key] ?? null)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
          {open && (
            <Card withBorder component="section" mt="md" aria-labelledby="actions-heading">
              <Title order={2} size="h3" id="actions-heading">
                {t('report.actions')}
              </Title>
              <Textarea label={t('report.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={5000} mt="xs" />
              <Group mt="xs">
                {(['student_contacted', 'connected_to_help', 'first_action'] as const).map((action) => (
                  <Button
                    key={action}
                    variant="light"
                    onClick={() =>
                      run(async () => {
                        await api('POST', `/api/v1/reports/${r.id}/actions`, { action, note: note || undefined });
                        setNote('');
                      })
                    }
                  >
                    {t(`report.${action === 'student_contacted' ? 'studentContacted' : action === 'connected_to_help' ? 'connectedToHelp' : 'firstAction'}`)}
                  </Button>
                ))}
              </Group>
              <Select
                label={t('report.disposition')}
                data={dispositions.map((d) => ({ value: d, label: t(`report.dispositions.${d}`) }))}
                value={disposition}
                onChange={setDisposition}
                mt="md"
              />
              <Button
                mt="xs"
                color="gray.8"
                disabled={!disposition}
                onClick={() => run(() => api('POST', `/api/v1/reports/${r.id}/close`, { disposition, note: note || undefined }))}
              >
                {t('report.closeButton')}
              </Button>
            </Card>
          )}
          {r.incident.length > 0 && (
            <Card withBorder component="section" mt="md" aria-labelledby="incident-heading">
              <Title order={2} size="h3" id="incident-heading">
                {t('report.incident')}
              </Title>
              <List mt="xs">
                {r.incident.map((linked) => (
                  <List.Item key={linked.id}>
                    <Anchor component={Link} to={`/reports/${linked.id}`} underline="always">
                      {when(linked.receivedAt)}
                    </Anchor>{' '}
                    · {t(`urgencies.${linked.urgency}`)} · {channelLabel(t, linked.channel)} · {t(`statuses.${linked.status}`)}
                  </List.Item>
                ))}
              </List>
            </Card>
          )}
          <Card withBorder component="section" mt="md" aria-labelledby="alerts-heading">
            <Title order={2} size="h3" id="alerts-heading">
              {t('report.alerts')}
            </Title>
            <List size="sm" mt="xs">
              {r.alerts.map((a) => (
                <List.Item key={`${a.at}-${a.step}-${a.channel}-${a.person}`}>
                  {when(a.at)} · {t('report.step')} {a.step + 1} · {t(`report.alertChannels.${a.channel}`, { defaultValue: t('channels.other') })} ·{' '}
                  {a.person ?? '—'} · {t(`report.alertOutcomes.${a.outcome}`, { defaultValue: '—' })}
                </List.Item>
              ))}
            </List>
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

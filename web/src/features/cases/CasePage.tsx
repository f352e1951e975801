import { Accordion, Alert, Anchor, Badge, Button, Card, Group, List, Loader, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../../api';
import { AbuseDutyReminder } from './AbuseDutyReminder';
import { SuicideAssessmentForm, ThreatAssessmentForm } from './CaseAssessments';
import { GateList, type GateView } from './CaseGates';
import { IdentifyStudent, TasksCard } from './CaseTasks';
import { CaseAsq, GuardianNoticeForm, HandoffForm, MandatoryReportTool } from './CaseTools';
import { ReentryForm } from './ReentryForm';
import { SafetyPlanTool } from './SafetyPlanTool';

export type CaseView = {
  id: string;
  type: string;
  status: string;
  summary: string;
  school: { id: string; name: string } | null;
  openedAt: string;
  assigned: { id: string; name: string }[];
  students: { id: string; firstName: string; lastName: string; grade: string; localId: string; homeLanguage: string }[];
  reports: { id: string; receivedAt: string; category: string; urgency: string }[];
  events: { id: string; at: string; who: string; kind: string; summary: string }[];
  tasks: {
    id: string;
    kind: string;
    title: string;
    owner: string | null;
    dueAt: string;
    hardDeadlineAt: string | null;
    doneAt: string | null;
    note: string | null;
    /** Tasks with a hard deadline are "due" until it passes, then "overdue". */
    state: 'done' | 'overdue' | 'due' | 'upcoming';
    overdue: boolean;
  }[];
  records: { id: string; kind: string; version: number; createdAt: string; createdBy: string; restricted: boolean; content: Record<string, unknown> }[];
  actions: { action: string; allowed: boolean; reasons: string[]; gates: GateView[] }[];
  abilities: { readMandatoryReport: boolean; confirmWaiver: boolean };
};

/**
 * One case, laid out for a phone during an incident: status and the next step first, then the
 * tools (each a section that opens), then tasks and the timeline.
 */
export function CasePage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const view = useQuery({ queryKey: ['case', id], queryFn: () => api<CaseView>('GET', `/api/v1/cases/${encodeURIComponent(id)}`), retry: false });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['case', id] });
  const [reason, setReason] = useState('');
  const transition = useMutation({
    mutationFn: (action: string) => api('POST', `/api/v1/cases/${id}/transitions`, { action, reason: reason || undefined }),
    onSuccess: refresh,
  });
  if (view.isLoading) return <Loader aria-label={t('app.loading')} />;
  if (view.error instanceof ApiError && view.error.body.code === 'break_glass_available')
    return <BreakGlass caseId={id} onDone={refresh} message={view.error.message} />;
  if (!view.data)
    return (
      <Alert color="red" role="alert">
        {view.error?.message ?? t('errors.generic')}
      </Alert>
    );
  const c = view.data;
  const when = (value: string) => new Date(value).toLocaleString(i18n.language);
  // The reminder stays until the mandatory report itself is recorded.
  const reportOwed =
    c.tasks.some((task) => task.kind === 'mandatory_report' && !task.doneAt) ||
    (c.type === 'abuse_neglect' && !c.records.some((r) => r.kind === 'mandatory_report'));
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/cases">
        {t('cases.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>{t(`caseTypes.${c.type}`)}</Title>
          <Text>{c.summary}</Text>
          <Text size="sm" c="dimmed">
            {c.school?.name ?? t('reports.districtLevel')} · {t('cases.openedOn', { when: when(c.openedAt) })} · {c.assigned.map((a) => a.name).join(', ')}
          </Text>
        </div>
        <Badge size="lg" color={c.status === 'closed' ? 'gray.7' : 'blue.8'}>
          {t(`caseStatuses.${c.status}`)}
        </Badge>
      </Group>
      {reportOwed && <AbuseDutyReminder />}
      <Card withBorder component="section" aria-labelledby="case-student">
        <Title order={2} size="h4" id="case-student" mb="xs">
          {t('cases.students')}
        </Title>
        {c.students.length === 0 && <Text>{t('cases.notIdentified')}</Text>}
        <List>
          {c.students.map((s) => (
            <List.Item key={s.id}>
              <Anchor component={Link} to={`/students/${s.id}`} underline="always">
                {s.firstName} {s.lastName}
              </Anchor>{' '}
              · {t('screening.grade')} {s.grade} · {s.localId} ·{' '}
              <Anchor component={Link} to={`/referrals/new?student=${s.id}&source=case&sourceId=${c.id}`} underline="always">
                {t('referrals.referName', { name: s.firstName })}
              </Anchor>
            </List.Item>
          ))}
        </List>
        {c.status !== 'closed' && <IdentifyStudent caseId={c.id} onDone={refresh} />}
        {c.reports.map((r) => (
          <Text key={r.id} size="sm" mt="xs">
            <Anchor component={Link} to={`/reports/${r.id}`} underline="always">
              {t('cases.fromReport', { when: when(r.receivedAt) })}
            </Anchor>
          </Text>
        ))}
      </Card>
      <Card withBorder component="section" aria-labelledby="case-next">
        <Title order={2} size="h4" id="case-next" mb="xs">
          {t('cases.next')}
        </Title>
        {transition.error && (
          <Alert color="red" role="alert" mb="xs">
            {transition.error.message}
          </Alert>
        )}
        {c.status === 'closed' && <TextInput label={t('cases.reopenReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} mb="xs" />}
        <Stack gap="xs">
          {c.actions.map((a) => (
            <div key={a.action}>
              <Button
                variant={a.action === 'close' ? 'default' : 'filled'}
                onClick={() => transition.mutate(a.action)}
                disabled={!a.allowed}
                loading={transition.isPending}
              >
                {t(`caseActions.${a.action}`)}
              </Button>
              <GateList gates={a.gates} reasons={a.reasons} />
            </div>
          ))}
        </Stack>
      </Card>
      <Accordion variant="separated" multiple defaultValue={c.status === 'open' || c.status === 'assessing' ? ['assessment'] : []}>
        {c.type !== 'threat_to_others' && (
          <Accordion.Item value="assessment">
            <Accordion.Control>{t('cases.tools.assessment')}</Accordion.Control>
            <Accordion.Panel>
              <SuicideAssessmentForm view={c} onDone={refresh} />
              {c.students.length > 0 && <CaseAsq caseId={c.id} onDone={refresh} />}
            </Accordion.Panel>
          </Accordion.Item>
        )}
        <Accordion.Item value="threat">
          <Accordion.Control>{t('cases.tools.threat')}</Accordion.Control>
          <Accordion.Panel>
            <ThreatAssessmentForm view={c} onDone={refresh} />
          </Accordion.Panel>
        </Accordion.Item>
        <Accordion.Item value="plan">
          <Accordion.Control>{t('cases.tools.safetyPlan')}</Accordion.Control>
          <Accordion.Panel>
            <SafetyPlanTool view={c} onDone={refresh} />
          </Accordion.Panel>
        </Accordion.Item>
        <Accordion.Item value="guardian">
          <Accordion.Control>{t('cases.tools.guardian')}</Accordion.Control>
          <Accordion.Panel>
            <GuardianNoticeForm view={c} onDone={refresh} />
          </Accordion.Panel>
        </Accordion.Item>
        <Accordion.Item value="mandatory">
          <Accordion.Control>{t('cases.tools.mandatory')}</Accordion.Control>
          <Accordion.Panel>
            <MandatoryReportTool view={c} onDone={refresh} />
          </Accordion.Panel>
        </Accordion.Item>
        <Accordion.Item value="reentry">
          <Accordion.Control>{t('cases.tools.reentry')}</Accordion.Control>
          <Accordion.Panel>
            <ReentryForm view={c} onDone={refresh} />
          </Accordion.Panel>
        </Accordion.Item>
        <Accordion.Item value="handoff">
          <Accordion.Control>{t('cases.tools.handoff')}</Accordion.Control>
          <Accordion.Panel>
            <HandoffForm view={c} onDone={refresh} />
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
      <TasksCard view={c} onDone={refresh} />
      <Card withBorder component="section" aria-labelledby="case-timeline">
        <Title order={2} size="h4" id="case-timeline" mb="xs">
          {t('cases.timeline')}
        </Title>
        <List>
          {c.events.map((e) => (
            <List.Item key={e.id}>
              <Text size="sm">
                <strong>{when(e.at)}</strong> · {e.who}: {e.summary}
              </Text>
            </List.Item>
          ))}
        </List>
      </Card>
    </Stack>
  );
}

function BreakGlass({ caseId, onDone, message }: { caseId: string; onDone: () => void; message: string }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const glass = useMutation({ mutationFn: () => api('POST', `/api/v1/cases/${caseId}/break-glass`, { reason }), onSuccess: onDone });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    glass.mutate();
  };
  return (
    <Card withBorder maw={560}>
      <Title order={1} size="h3" mb="xs">
        {t('cases.breakGlassTitle')}
      </Title>
      <Text mb="sm">{message}</Text>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Textarea
            label={t('cases.breakGlassReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
            minLength={10}
            autosize
            minRows={2}
          />
          {glass.error && (
            <Alert color="red" role="alert">
              {glass.error.message}
            </Alert>
          )}
          <Group>
            <Button type="submit" color="red.9">
              {t('cases.breakGlass')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

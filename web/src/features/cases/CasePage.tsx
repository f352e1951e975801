import { Accordion, Alert, Anchor, Badge, Button, Card, Group, List, Loader, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { CaseView as CaseViewAnswer } from '../../../../src/features/cases/case-view.schema';
import type { CaseSection } from '../../../../src/features/cases/next-step.rules';
import { ApiError, api } from '../../api';
import { useWhen } from '../../ui/dates';
import { actorWords, gradeLabel } from '../../ui/labels';
import { AbuseDutyReminder } from './AbuseDutyReminder';
import { CaseSummary } from './CaseSummary';
import { IdentifyStudent, TasksCard } from './CaseTasks';
import { CaseAsq, GuardianNoticeForm, HandoffForm, MandatoryReportTool } from './CaseTools';
import { caseEventText } from './caseWords';
import { NextStepCard } from './NextStepCard';
import { SuicideAssessmentSection, ThreatAssessmentSection } from './RecordedAssessments';
import { ReentryForm } from './ReentryForm';
import { SafetyPlanTool } from './SafetyPlanTool';

/** The case as the server sends it (case-view.schema.ts). */
export type CaseView = CaseViewAnswer;

/** The tool sections of the page, in the accordion. */
const accordionSections = new Set<CaseSection>(['assessment', 'threat', 'plan', 'guardian', 'mandatory', 'reentry']);

/**
 * One case, laid out for a phone during an incident: the case at a glance and the next step first,
 * then the student, the tools (each a section that opens), then tasks and the timeline.
 */
export function CasePage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { when } = useWhen();
  const queryClient = useQueryClient();
  const view = useQuery({ queryKey: ['case', id], queryFn: () => api<CaseView>('GET', `/api/v1/cases/${encodeURIComponent(id)}`), retry: false });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['case', id] });
  // Null until someone opens or closes a section; until then, the section of the next step as the page first showed it.
  const [sections, setSections] = useState<string[] | null>(null);
  const firstOpen = useRef<string[] | null>(null);
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
  // The reminder stays until the mandatory report itself is recorded.
  const reportOwed =
    c.tasks.some((task) => task.kind === 'mandatory_report' && !task.doneAt) ||
    (c.type === 'abuse_neglect' && !c.records.some((r) => r.kind === 'mandatory_report'));
  if (firstOpen.current === null) {
    const first = c.overview.nextSteps[0]?.section;
    firstOpen.current = first && accordionSections.has(first) ? [first] : [];
  }
  const open = sections ?? firstOpen.current;
  /** Opens the section where the next step is done, and takes focus (and the eye) there. */
  const go = (section: CaseSection) => {
    if (accordionSections.has(section)) setSections([...new Set([...open, section])]);
    requestAnimationFrame(() => {
      const target = document.getElementById(section === 'tasks' ? 'case-tasks' : `case-tools-control-${section}`);
      target?.scrollIntoView({ block: 'start' });
      target?.focus();
    });
  };
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/cases">
        {t('cases.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Title order={1}>{t(`caseTypes.${c.type}`)}</Title>
          <Text style={{ overflowWrap: 'anywhere' }}>{c.summary}</Text>
          <Text size="sm" c="dimmed">
            {c.school?.name ?? t('reports.districtLevel')} · {t('cases.openedOn', { when: when(c.openedAt) })} · {c.assigned.map((a) => a.name).join(', ')}
          </Text>
        </div>
        <Badge size="lg" color={c.status === 'closed' ? 'gray.7' : 'blue.8'} style={{ flexShrink: 0 }}>
          {t(`caseStatuses.${c.status}`)}
        </Badge>
      </Group>
      {reportOwed && <AbuseDutyReminder />}
      <CaseSummary view={c} />
      <NextStepCard view={c} onDone={refresh} onGo={go} />
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
              · {t('screening.grade')} {gradeLabel(t, s.grade)} · {s.localId} ·{' '}
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
      <Accordion id="case-tools" variant="separated" multiple value={open} onChange={setSections}>
        {c.type !== 'threat_to_others' && (
          <Accordion.Item value="assessment">
            <Accordion.Control>{t('cases.tools.assessment')}</Accordion.Control>
            <Accordion.Panel>
              <SuicideAssessmentSection view={c} onDone={refresh} />
              {c.students.length > 0 && <CaseAsq caseId={c.id} onDone={refresh} />}
            </Accordion.Panel>
          </Accordion.Item>
        )}
        <Accordion.Item value="threat">
          <Accordion.Control>{t('cases.tools.threat')}</Accordion.Control>
          <Accordion.Panel>
            <ThreatAssessmentSection view={c} onDone={refresh} />
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
                <strong>{when(e.at)}</strong> · {actorWords(t, e.who)}: {caseEventText(t, e, i18n.language, when)}
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

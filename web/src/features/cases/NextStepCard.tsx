import { Alert, Button, Card, Group, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { goesBack } from '../../../../src/features/cases/case.rules';
import type { CaseSection, NextStep } from '../../../../src/features/cases/next-step.rules';
import { api } from '../../api';
import { useWhen } from '../../ui/dates';
import { actorWords } from '../../ui/labels';
import { GateList } from './CaseGates';
import type { CaseView } from './CasePage';
import { StateBadge } from './CaseSummary';
import { CloseCaseDialog } from './CloseCaseDialog';

/**
 * The next step, as the server derives it from the case (next-step.rules.ts): one sentence, a
 * button to the section where it is done, and the other outstanding steps beneath it. The status
 * changes follow; closing opens a dialog that asks how the case ended.
 */
export function NextStepCard({ view, onDone, onGo }: { view: CaseView; onDone: () => unknown; onGo: (section: CaseSection) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [closing, setClosing] = useState(false);
  const transition = useMutation({
    mutationFn: (action: string) => api('POST', `/api/v1/cases/${view.id}/transitions`, { action, reason: reason || undefined }),
    onSuccess: onDone,
  });
  const [first, ...rest] = view.overview.nextSteps;
  // One filled button: the status change the next step asks for (monitor, close; reopen on a closed
  // case). Other moves forward are outlined, and moves back a step are quieter still.
  const nextMove = view.status === 'closed' ? 'reopen' : first?.code === 'monitor' ? 'start_monitoring' : first?.code === 'close' ? 'close' : null;
  const variant = (action: (typeof view.actions)[number]['action']) => (action === nextMove ? 'filled' : 'default');
  // A move back a step is never offered as if it were still to do: it sits under what was already
  // done (assessed, planned, by whom and when), quieter, and says that it goes back.
  const forward = view.actions.filter((a) => !goesBack(view.status, a.action));
  const back = view.actions.filter((a) => goesBack(view.status, a.action));
  return (
    <Card withBorder component="section" aria-labelledby="case-next">
      <Title order={2} size="h4" id="case-next" mb="xs">
        {t('cases.next')}
      </Title>
      {first ? (
        <Stack gap="xs">
          <StepLine step={first} view={view} strong />
          {first.section !== 'status' && (
            <Group>
              <Button variant="filled" onClick={() => onGo(first.section)}>
                {t(`caseSummary.go.${first.section}`)}
              </Button>
            </Group>
          )}
          {rest.length > 0 && (
            <>
              <Text size="sm" fw={700} mt="xs">
                {t('caseSummary.alsoOutstanding')}
              </Text>
              <List size="sm" spacing={4}>
                {rest.map((s) => (
                  <List.Item key={s.code}>
                    <StepLine step={s} view={view} />
                  </List.Item>
                ))}
              </List>
            </>
          )}
        </Stack>
      ) : (
        <Text>{t('caseSummary.steps.closed')}</Text>
      )}
      <Title order={3} size="h5" mt="md" mb="xs">
        {t('caseSummary.status')}
      </Title>
      {transition.error && (
        <Alert color="red" role="alert" mb="xs">
          {transition.error.message}
        </Alert>
      )}
      {view.status === 'closed' && <TextInput label={t('cases.reopenReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} mb="xs" />}
      <StatusSince view={view} />
      <Stack gap="xs">
        {forward.map((a) =>
          a.action === 'close' ? (
            <div key={a.action}>
              <Button variant={variant(a.action)} onClick={() => setClosing(true)}>
                {t('caseActions.close')}
              </Button>
            </div>
          ) : (
            <div key={a.action}>
              <Button variant={variant(a.action)} onClick={() => transition.mutate(a.action)} disabled={!a.allowed} loading={transition.isPending}>
                {t(`caseActions.${a.action}`)}
              </Button>
              <GateList gates={a.gates} reasons={a.reasons} />
            </div>
          ),
        )}
      </Stack>
      {back.length > 0 && (
        <>
          <Title order={4} size="h6" mt="md" mb={4}>
            {t('caseSummary.doneSoFar')}
          </Title>
          <Text size="sm" mb="xs">
            {t('caseSummary.goBackIntro')}
          </Text>
          <List size="sm" spacing="xs">
            {back.map((a) => (
              <List.Item key={a.action}>
                <DoneLine view={view} action={a.action} />
                <Button
                  variant="subtle"
                  size="compact-sm"
                  ml="xs"
                  onClick={() => transition.mutate(a.action)}
                  disabled={!a.allowed}
                  loading={transition.isPending}
                >
                  {t(`caseSummary.goBack.${a.action}`, { defaultValue: t(`caseActions.${a.action}`) })}
                </Button>
                <GateList gates={a.gates} reasons={a.reasons} />
              </List.Item>
            ))}
          </List>
        </>
      )}
      {view.actions.some((a) => a.action === 'close') && <CloseCaseDialog view={view} opened={closing} onClose={() => setClosing(false)} onDone={onDone} />}
    </Card>
  );
}

/** One step in words, with "overdue" said (not only coloured) when its deadline has passed. */
function StepLine({ step, view, strong = false }: { step: NextStep; view: CaseView; strong?: boolean }) {
  const { t, i18n } = useTranslation();
  const { day } = useWhen();
  const join = (items: string[]) => new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(items);
  const items =
    step.code === 'threat_actions' ? join(step.items.map((a) => t(`cases.threat.actions.${a}`))) : join(step.items.map((s) => t(`cases.plan.required.${s}`)));
  const checkIn = view.overview.nextCheckIn;
  const key = step.code === 'safety_plan' && step.items.length > 0 ? 'caseSummary.steps.safety_plan_items' : `caseSummary.steps.${step.code}`;
  return (
    <Text fw={strong ? 700 : undefined} size={strong ? 'md' : 'sm'}>
      {step.overdue && <StateBadge tone="late">{t('caseSummary.overdue')}</StateBadge>}
      {t(key, { items, when: checkIn ? day(checkIn.date) : '' })}
    </Text>
  );
}

/** Since when the case has its status, and who moved it there (the latest status event). */
function StatusSince({ view }: { view: CaseView }) {
  const { t } = useTranslation();
  const { when } = useWhen();
  const moved = view.events.findLast((e) => (e.words?.code === 'status' || e.words?.code === 'status_because') && e.words.values.to === view.status);
  if (!moved || view.status === 'closed') return null;
  return (
    <Text size="sm" mb="xs">
      {t('caseSummary.statusSince', { status: t(`caseStatuses.${view.status}`), when: when(moved.at), who: actorWords(t, moved.who) })}
    </Text>
  );
}

/**
 * The step a move back would return to, said as done: "Assessed: high risk, by Sam Okafor (Crisis
 * team), Nov 11, 2026, 10:50 AM". Nothing when the case holds no record of it.
 */
function DoneLine({ view, action }: { view: CaseView; action: string }) {
  const { t, i18n } = useTranslation();
  const { when } = useWhen();
  const lower = (text: string) => text.toLocaleLowerCase(i18n.language);
  const { risk, threat, safetyPlan } = view.overview;
  const lines: string[] = [];
  if (action === 'start_assessing') {
    if (risk)
      lines.push(t('caseSummary.stepsDone.assessed', { level: lower(t(`riskLevels.${risk.level}`)), who: actorWords(t, risk.by), when: when(risk.at) }));
    if (threat) {
      const words =
        threat.classification === 'substantive'
          ? t('caseSummary.substantive', { severity: t(`cases.threat.severities.${threat.severity ?? 'serious'}`) })
          : t('caseSummary.transient');
      lines.push(t('caseSummary.stepsDone.threatAssessed', { threat: lower(words), who: actorWords(t, threat.by), when: when(threat.at) }));
    }
  }
  if (action === 'start_safety_planning' && safetyPlan.status !== 'none')
    lines.push(
      t(safetyPlan.status === 'complete' ? 'caseSummary.stepsDone.planComplete' : 'caseSummary.stepsDone.planIncomplete', {
        who: actorWords(t, safetyPlan.by),
        when: when(safetyPlan.at),
      }),
    );
  if (lines.length === 0) return null;
  return (
    <>
      {lines.map((line) => (
        <Text key={line} size="sm" component="span" display="block">
          <StateBadge tone="done">{t('caseSummary.done')}</StateBadge>
          {line}
        </Text>
      ))}
    </>
  );
}

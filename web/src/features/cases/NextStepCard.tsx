import { Alert, Button, Card, Group, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { goesBack } from '../../../../src/features/cases/case.rules';
import type { CaseSection, NextStep } from '../../../../src/features/cases/next-step.rules';
import { api } from '../../api';
import { GateList } from './CaseGates';
import type { CaseView } from './CasePage';
import { StateBadge, useWhen } from './CaseSummary';
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
  const variant = (action: (typeof view.actions)[number]['action']) => (action === nextMove ? 'filled' : goesBack(view.status, action) ? 'subtle' : 'default');
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
      <Stack gap="xs">
        {view.actions.map((a) =>
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

import { Alert, Button, Group, List, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { caseOutcomes } from '../../../../src/data/cases.values';
import { tasksClosingCancels } from '../../../../src/features/cases/next-step.rules';
import { api } from '../../api';
import { useWhen } from '../../ui/dates';
import { GateList } from './CaseGates';
import type { CaseView } from './CasePage';
import { taskTitle } from './caseWords';

/**
 * Closing a case, in a dialog (focus stays inside until it is dismissed; Escape keeps the case
 * open). It asks how the case ended (an outcome and a summary; the server requires both), says
 * why the case cannot close yet when a gate refuses it, and lists the open tasks closing will
 * cancel, so the button can say exactly what happens.
 */
export function CloseCaseDialog({ view, opened, onClose, onDone }: { view: CaseView; opened: boolean; onClose: () => void; onDone: () => unknown }) {
  const { t, i18n } = useTranslation();
  const { when } = useWhen();
  const [outcome, setOutcome] = useState('');
  const [summary, setSummary] = useState('');
  const [missing, setMissing] = useState(false);
  const gate = view.actions.find((a) => a.action === 'close');
  const blocked = gate !== undefined && !gate.allowed;
  const cancels = tasksClosingCancels(view.tasks);
  const close = useMutation({
    mutationFn: () => api('POST', `/api/v1/cases/${view.id}/transitions`, { action: 'close', outcome, summary }),
    onSuccess: async () => {
      await onDone();
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Said here in the reader's language; the server refuses the same (in English) if it is skipped.
    setMissing(!outcome || !summary.trim());
    if (outcome && summary.trim()) close.mutate();
  };
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('caseSummary.closeDialog.title')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('caseSummary.closeDialog.keepOpen') }}
    >
      <form onSubmit={submit}>
        <Stack gap="sm">
          {blocked && (
            <Alert color="red.9" variant="outline" title={t('caseSummary.closeDialog.blocked')}>
              <GateList gates={gate.gates} reasons={gate.reasons} />
            </Alert>
          )}
          <Radio.Group
            label={t('caseSummary.closeDialog.outcome')}
            value={outcome}
            onChange={setOutcome}
            required
            error={missing && !outcome ? t('caseSummary.closeDialog.chooseOutcome') : undefined}
          >
            <Stack gap={6} mt={4}>
              {caseOutcomes.map((o) => (
                <Radio key={o} value={o} label={t(`caseSummary.outcomes.${o}`)} />
              ))}
            </Stack>
          </Radio.Group>
          <Textarea
            label={t('caseSummary.closeDialog.summary')}
            description={t('caseSummary.closeDialog.summaryHelp')}
            value={summary}
            onChange={(e) => setSummary(e.currentTarget.value)}
            required
            error={missing && !summary.trim() ? t('caseSummary.closeDialog.writeSummary') : undefined}
            autosize
            minRows={3}
            maxLength={4000}
          />
          {/* What closing cancels is said once it may close: a refused close cancels nothing, and meeting a gate can change the list (recording the guardian notice completes its task). */}
          {blocked ? null : cancels.length > 0 ? (
            <Alert color="#8a4b00" variant="outline" title={t('caseSummary.closeDialog.cancels', { count: cancels.length })}>
              <List size="sm">
                {cancels.map((task) => (
                  <List.Item key={task.id}>
                    {taskTitle(t, task, i18n.language)} · {t('cases.due', { when: when(task.dueAt) })}
                  </List.Item>
                ))}
              </List>
              <Text size="sm" mt="xs">
                {t('caseSummary.closeDialog.notRestored')}
              </Text>
            </Alert>
          ) : (
            <Text size="sm">{t('caseSummary.closeDialog.noTasks')}</Text>
          )}
          {close.error && (
            <Alert color="red" role="alert">
              {close.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('caseSummary.closeDialog.keepOpen')}
            </Button>
            <Button type="submit" color="red.9" loading={close.isPending} disabled={blocked}>
              {cancels.length > 0 && !blocked ? t('caseSummary.closeDialog.confirmCancel', { count: cancels.length }) : t('caseSummary.closeDialog.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

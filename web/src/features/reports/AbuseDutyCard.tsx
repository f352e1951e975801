import { Alert, Button, Card, Stack, Text, Textarea, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AbuseDuty } from '../../../../src/features/crisis-reports/crisis-reports.schema';
import { api } from '../../api';
import { useWhen } from '../../ui/dates';
import { AbuseDutyReminder } from '../cases/AbuseDutyReminder';

/**
 * A report of suspected abuse or neglect closes only once the duty to report is met: a mandatory
 * report recorded on a case opened from it, or an administrator's finding of no reasonable cause
 * (who, when, why). The reminder that the duty is personal stays until the report is recorded.
 */
export function AbuseDutyCard({ reportId, duty, open, onDone }: { reportId: string; duty: AbuseDuty; open: boolean; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const { when } = useWhen();
  const [reasoning, setReasoning] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    try {
      setError(null);
      await api('POST', `/api/v1/reports/${reportId}/no-cause-finding`, { reasoning });
      setReasoning('');
      await onDone();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : t('errors.generic'));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card withBorder component="section" aria-labelledby="duty-heading">
      <Title order={2} size="h3" id="duty-heading" mb="xs">
        {t('report.duty.title')}
      </Title>
      <Stack gap="sm">
        {!duty.mandatoryReportRecorded && <AbuseDutyReminder />}
        {duty.mandatoryReportRecorded ? (
          <Text>{t('report.duty.reported')}</Text>
        ) : duty.finding ? (
          <Alert variant="light" title={t('report.duty.findingBy', { who: duty.finding.by, when: when(duty.finding.at) })}>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {duty.finding.reasoning}
            </Text>
          </Alert>
        ) : (
          <Text size="sm">{t('report.duty.beforeClosing')}</Text>
        )}
        {open && !duty.mandatoryReportRecorded && !duty.finding && duty.canRecordFinding && (
          <form onSubmit={submit}>
            <Stack gap="xs">
              <Textarea
                label={t('report.duty.reasoning')}
                description={t('report.duty.reasoningHelp')}
                value={reasoning}
                onChange={(e) => setReasoning(e.currentTarget.value)}
                required
                minLength={20}
                maxLength={4000}
                autosize
                minRows={3}
              />
              {error && (
                <Alert color="red" role="alert">
                  {error}
                </Alert>
              )}
              <Button type="submit" variant="default" w="fit-content" loading={saving}>
                {t('report.duty.record')}
              </Button>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}

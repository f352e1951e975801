import { Alert, Button, Group, List, Radio, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstrumentDefinition as Definition } from '../../../../src/features/screening/definition.schema';
import type { StaffResult } from '../../../../src/features/screening/screening.schema';
import { api } from '../../api';

/** An instrument's words by language; English is always there (the definition language requires it). */
type Words = Definition['title'];
/** What the form shows of a recorded screen: the same from the student's record and from a case. */
type Scored = Pick<StaffResult, 'band' | 'flags' | 'actions' | 'alertReportId'>;

/**
 * The emergency path: after a disclosure, a crisis-team member asks the ASQ with the student now,
 * without prior consent. A positive raises the alert through the crisis chain at once and the
 * guardian is told afterwards.
 */
export function EmergencyAsqForm({ studentId, postTo, onRecorded }: { studentId?: string; postTo?: string; onRecorded?: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const asq = useQuery({ queryKey: ['instrument', 'asq'], queryFn: () => api<Definition>('GET', '/api/v1/instruments/asq') });
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const record = useMutation({
    mutationFn: () =>
      postTo
        ? api<Scored>('POST', postTo, { instrumentId: 'asq', answers })
        : api<Scored>('POST', `/api/v1/students/${studentId}/screenings`, { instrumentId: 'asq', emergency: true, answers }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['screening', 'history', studentId] });
      onRecorded?.();
    },
  });
  if (!asq.data) return null;
  const positive = ['q1', 'q2', 'q3', 'q4'].some((q) => answers[q] === 'yes' || answers[q] === 'refused');
  const items = asq.data.item.filter((item) => item.linkId !== 'q5' || positive);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    record.mutate();
  };
  const actionText = new Map(asq.data.scoring.actions.map((a) => [a.code, a.text]));
  /** The words in the reader's language when the instrument has them (the ASQ has NIMH's Spanish), else its English. */
  const own = (text: Words) => (i18n.language !== 'en' && text[i18n.language] ? { text: text[i18n.language] as string, lang: i18n.language } : null);
  return (
    <section aria-labelledby="emergency-asq">
      <Title order={3} size="h4" id="emergency-asq" mt="lg">
        {t('screening.emergencyTitle')}
      </Title>
      <Text size="sm" mb="sm">
        {t('screening.emergencyHelp')}
      </Text>
      <form onSubmit={submit}>
        <Stack gap="sm">
          {items.map((item) => (
            <Radio.Group
              key={item.linkId}
              label={<span lang={own(item.text)?.lang ?? 'en'}>{own(item.text)?.text ?? item.text.en ?? item.linkId}</span>}
              description={
                own(item.text) && (
                  <>
                    {t('screening.inEnglish')} <span lang="en">{item.text.en}</span>
                  </>
                )
              }
              value={answers[item.linkId] ?? ''}
              onChange={(value) => setAnswers((current) => ({ ...current, [item.linkId]: value }))}
              required={item.required}
            >
              <Group mt={4}>
                {item.answerOption.map((o) => (
                  <Radio key={o.value} value={String(o.value)} label={o.display[i18n.language] ?? o.display.en ?? String(o.value)} />
                ))}
              </Group>
            </Radio.Group>
          ))}
          {record.error && (
            <Alert color="red" role="alert">
              {record.error.message}
            </Alert>
          )}
          {record.data && (
            <Alert
              color={record.data.flags.includes('suicide_risk') ? 'red.9' : '#1e6b34'}
              variant="outline"
              role="status"
              title={t(`bands.${record.data.band}`)}
            >
              {record.data.alertReportId && <Text>{t('screening.alertRaised')}</Text>}
              <List>
                {record.data.actions.map((a) => {
                  // The instrument's own words, in the reader's language when it has them.
                  const text = actionText.get(a);
                  const words = text && own(text);
                  return (
                    <List.Item key={a} lang={words ? words.lang : 'en'}>
                      {words ? words.text : (text?.en ?? a)}
                    </List.Item>
                  );
                })}
              </List>
            </Alert>
          )}
          <Group>
            <Button type="submit" color="red.9" loading={record.isPending}>
              {t('screening.emergencyRecord')}
            </Button>
          </Group>
        </Stack>
      </form>
    </section>
  );
}

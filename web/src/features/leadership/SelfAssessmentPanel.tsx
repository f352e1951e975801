import { Alert, Badge, Button, Group, List, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SelfAssessmentReport } from '../../../../src/features/leadership/leadership.schema';
import { api } from '../../api';
import { ScrollTable } from '../../ui/ScrollTable';
import { AsOf } from './AsOf';
import { day, num, pct } from './format';
import { useManage } from './useManage';

type Assessment = SelfAssessmentReport;

/** The seven-domain self-assessment, pre-filled from what Haven saw; the team scores and plans. */
export function SelfAssessmentPanel() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  // The server sends each indicator's words in English; they are translated here by id, and an indicator added later reads in English until it is.
  const indicatorText = (i: { id: string; text: string }) => t(`assessment.indicators.${i.id}`, { defaultValue: i.text });
  const manage = useManage();
  const queryClient = useQueryClient();
  const view = useQuery({ queryKey: ['leadership', 'assessment'], queryFn: () => api<Assessment>('GET', '/api/v1/leadership/self-assessment') });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['leadership', 'assessment'] });
  const [scores, setScores] = useState<Record<string, number | string>>({});
  const [heldOn, setHeldOn] = useState(new Date().toISOString().slice(0, 10));
  const [action, setAction] = useState({ action: '', owner: '', dueOn: '' });
  const record = useMutation({
    mutationFn: () =>
      api('POST', '/api/v1/leadership/self-assessments', {
        heldOn,
        scores: (view.data?.indicators ?? []).map((i) => ({ indicatorId: i.id, score: Number(scores[i.id] ?? i.suggested ?? '') })).filter((s) => s.score >= 1),
      }),
    onSuccess: refresh,
  });
  const addAction = useMutation({ mutationFn: () => api('POST', '/api/v1/leadership/actions', action), onSuccess: refresh });
  const done = useMutation({ mutationFn: (id: string) => api('POST', `/api/v1/leadership/actions/${id}/done`), onSuccess: refresh });
  if (view.error) return <Alert color="red">{view.error.message}</Alert>;
  if (!view.data) return <Text>{t('app.loading')}</Text>;
  const submitScores = (e: FormEvent) => {
    e.preventDefault();
    record.mutate();
  };
  const submitAction = (e: FormEvent) => {
    e.preventDefault();
    addAction.mutate();
  };
  return (
    <Stack>
      <Text>{t('assessment.intro')}</Text>
      <AsOf computedAt={view.data.computedAt} />
      <form onSubmit={submitScores}>
        <ScrollTable label={t('assessment.title')} minWidth={620}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('assessment.indicator')}</Table.Th>
                <Table.Th scope="col">{t('assessment.measured')}</Table.Th>
                <Table.Th scope="col">{t('assessment.score')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.data.indicators.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Th scope="row" fw={400}>
                    <Text size="xs" fw={700}>
                      {t(`assessment.domains.${i.domain}`)}
                    </Text>
                    {indicatorText(i)}
                  </Table.Th>
                  <Table.Td>{i.measured === null ? t('assessment.teamScores') : pct(i.measured, lang)}</Table.Td>
                  <Table.Td>
                    {manage ? (
                      <NumberInput
                        aria-label={t('assessment.scoreFor', { text: indicatorText(i) })}
                        min={1}
                        max={6}
                        w={80}
                        value={scores[i.id] ?? i.suggested ?? ''}
                        onChange={(v) => setScores({ ...scores, [i.id]: v })}
                      />
                    ) : i.suggested === null ? (
                      '—'
                    ) : (
                      num(i.suggested, lang)
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
        {manage && (
          <Group mt="sm" align="flex-end">
            <TextInput type="date" label={t('assessment.heldOn')} value={heldOn} onChange={(e) => setHeldOn(e.currentTarget.value)} />
            <Button type="submit">{t('assessment.record')}</Button>
            {record.isSuccess && <Text role="status">{t('partners.saved')}</Text>}
          </Group>
        )}
      </form>
      {record.error && <Alert color="red">{record.error.message}</Alert>}
      <section aria-labelledby="assessment-history">
        <Title order={2} size="h3" id="assessment-history">
          {t('assessment.history')}
        </Title>
        {view.data.history.length === 0 ? (
          <Text>{t('assessment.noHistory')}</Text>
        ) : (
          <List>
            {view.data.history.map((h) => (
              <List.Item key={h.id}>
                {day(h.heldOn, lang)}:{' '}
                {h.domains
                  .filter((x) => x.average !== null)
                  .map((x) => `${t(`assessment.domains.${x.domain}`)} ${num(x.average ?? 0, lang, 1)}`)
                  .join(' · ')}
              </List.Item>
            ))}
          </List>
        )}
      </section>
      <section aria-labelledby="assessment-actions">
        <Title order={2} size="h3" id="assessment-actions">
          {t('assessment.actions')}
        </Title>
        <List>
          {view.data.actions.map((a) => (
            <List.Item key={a.id}>
              {a.action} · {a.owner} · {t('assessment.due', { date: day(a.dueOn, lang) })} {a.done ? `· ✓ ${t('referrals.done')}` : ''}
              {a.overdue && (
                <Badge ml={4} color="red.9" variant="outline">
                  {t('referrals.overdue')}
                </Badge>
              )}
              {manage && !a.done && (
                <Button ml="xs" size="compact-xs" variant="default" onClick={() => done.mutate(a.id)} aria-label={t('referrals.markDone', { what: a.action })}>
                  {t('referrals.done')}
                </Button>
              )}
            </List.Item>
          ))}
        </List>
        {manage && (
          <form onSubmit={submitAction}>
            <Group align="flex-end" mt="xs" wrap="wrap">
              <TextInput
                label={t('assessment.action')}
                value={action.action}
                onChange={(e) => setAction({ ...action, action: e.currentTarget.value })}
                required
              />
              <TextInput label={t('assessment.owner')} value={action.owner} onChange={(e) => setAction({ ...action, owner: e.currentTarget.value })} required />
              <TextInput
                type="date"
                label={t('assessment.dueOn')}
                value={action.dueOn}
                onChange={(e) => setAction({ ...action, dueOn: e.currentTarget.value })}
                required
              />
              <Button type="submit" variant="default">
                {t('assessment.addAction')}
              </Button>
            </Group>
          </form>
        )}
        {addAction.error && <Alert color="red">{addAction.error.message}</Alert>}
      </section>
    </Stack>
  );
}

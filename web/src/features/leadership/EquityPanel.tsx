import { Alert, Anchor, Badge, Group, List, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EquityReport } from '../../../../src/features/leadership/leadership.schema';
import { api } from '../../api';
import { languageName } from '../../ui/FamilyLanguageSelect';
import { ScrollTable } from '../../ui/ScrollTable';
import { AsOf } from './AsOf';
import { EquityPath } from './EquityPath';
import { groupLabel, hiddenWords } from './equityLabels';
import { num, pct, ratio } from './format';

type Equity = EquityReport;
type Step = Equity['steps'][number];
type WaitCell = NonNullable<Step['waits']>['overall'] | NonNullable<Step['waits']>['dimensions'][number]['groups'][number];
type Quantile = Extract<WaitCell, { suppressed: false }>['median'];

/**
 * The path as a funnel (each step counts only the students who reached the step before it) and
 * the measures beside it, by group, each compared with everyone else who was eligible for the
 * same step; small groups hidden on the server.
 */
export function EquityPanel() {
  const { t, i18n } = useTranslation();
  const view = useQuery({ queryKey: ['leadership', 'equity'], queryFn: () => api<Equity>('GET', '/api/v1/leadership/equity') });
  const [stepName, setStepName] = useState('followed_up_in_time');
  const [dimension, setDimension] = useState('english_learner');
  if (view.error) return <Alert color="red">{view.error.message}</Alert>;
  if (!view.data) return <Text>{t('app.loading')}</Text>;
  const { steps, threshold } = view.data;
  const step = steps.find((s) => s.step === stepName);
  const dim = step?.dimensions.find((d) => d.dimension === dimension);
  const lang = i18n.language;
  const stepLabel = (s: string) => t(`leadership.steps.${s}`, { defaultValue: t('leadership.otherStep') });
  const days = (d: number) => num(d, lang, 1);
  const label = (d: string, g: string) => groupLabel(t, i18n.language, d, g);
  const quantile = (q: Quantile) =>
    q === null
      ? '—'
      : 'days' in q
        ? t('leadership.days', { count: Math.round(q.days * 10) / 10, n: days(q.days) })
        : t('leadership.moreThan', { n: num(q.moreThan, lang) });
  const path = steps.filter((s) => s.inPath);
  return (
    <Stack>
      <AsOf computedAt={view.data.computedAt} />
      <EquityPath steps={steps} threshold={threshold} />
      <section aria-labelledby="equity-highlights">
        <Title order={2} size="h3" id="equity-highlights">
          {t('leadership.highlights')}
        </Title>
        {view.data.highlights.length === 0 ? (
          <Text>{t('leadership.noHighlights')}</Text>
        ) : (
          <List>
            {view.data.highlights.map((h) => {
              const group = `${t(`leadership.dimensions.${h.dimension}`)}: ${label(h.dimension, h.group)}`;
              const name = stepLabel(h.step);
              return (
                <List.Item key={`${h.step}-${h.dimension}-${h.group}-${h.flag}`}>
                  {h.flag === 'waits_longer'
                    ? t('leadership.highlightWait', { group, step: name, days: days(h.days), overall: days(h.overallDays) })
                    : t(h.flag === 'less' ? 'leadership.highlightLess' : 'leadership.highlightMore', { group, step: name, rr: ratio(h.rr, null, null, lang) })}
                </List.Item>
              );
            })}
          </List>
        )}
      </section>
      <Group align="flex-end">
        <Select
          label={t('leadership.step')}
          data={[
            { group: t('leadership.thePath'), items: path.map((s) => ({ value: s.step, label: stepLabel(s.step) })) },
            { group: t('leadership.alongside'), items: steps.filter((s) => !s.inPath).map((s) => ({ value: s.step, label: stepLabel(s.step) })) },
          ]}
          value={stepName}
          onChange={(v) => v && setStepName(v)}
          allowDeselect={false}
        />
        <Select
          label={t('leadership.dimension')}
          data={(step?.dimensions ?? []).map((d) => ({ value: d.dimension, label: t(`leadership.dimensions.${d.dimension}`) }))}
          value={dimension}
          onChange={(v) => v && setDimension(v)}
          allowDeselect={false}
        />
        <Anchor href="/api/v1/leadership/equity?format=csv" underline="always">
          {t('leadership.csv')}
        </Anchor>
      </Group>
      {step && (
        <Text>
          {step.suppressed || step.reached === null || step.eligible === null
            ? t('privacy.hiddenTotal', { step: stepLabel(step.step), n: threshold })
            : t('leadership.overallOf', {
                step: stepLabel(step.step),
                reached: num(step.reached, lang),
                eligible: num(step.eligible, lang),
                of: t(`leadership.of.${step.of}`, { defaultValue: t('leadership.of.previous') }),
                rate: step.eligible === 0 ? t('leadership.noneEligible') : pct(step.rate, lang),
              })}
        </Text>
      )}
      <ScrollTable label={t('leadership.equity')} minWidth={620}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('leadership.group')}</Table.Th>
              <Table.Th scope="col">{t('leadership.reachedOf')}</Table.Th>
              <Table.Th scope="col">{t('leadership.rate')}</Table.Th>
              <Table.Th scope="col">{t('leadership.riskRatio')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {dim?.groups.map((g) => (
              <Table.Tr key={g.group}>
                <Table.Th scope="row">{label(dimension, g.group)}</Table.Th>
                {g.suppressed ? (
                  <Table.Td colSpan={3}>{hiddenWords(t, g.reason, threshold)}</Table.Td>
                ) : (
                  <>
                    <Table.Td>
                      {num(g.reached, lang)} / {num(g.eligible, lang)}
                    </Table.Td>
                    <Table.Td>{g.eligible === 0 ? t('leadership.noneEligible') : pct(g.rate, lang)}</Table.Td>
                    <Table.Td>
                      {g.rr === null ? '—' : ratio(g.rr, g.low, g.high, lang)}
                      {'planned' in g && g.planned && <Text size="xs">{t('leadership.planned')}</Text>}
                      {g.corrected && <Text size="xs">{t('leadership.corrected')}</Text>}
                      {g.flag && (
                        <Badge ml={4} variant="outline" color={g.flag === 'less' ? 'red.9' : 'blue.8'}>
                          {t(g.flag === 'less' ? 'leadership.less' : 'leadership.more')}
                        </Badge>
                      )}
                    </Table.Td>
                  </>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {step?.waits && (
        <section aria-labelledby="equity-waits">
          <Title order={3} size="h4" id="equity-waits">
            {t('leadership.waits')}
          </Title>
          <Text size="sm" mb="xs">
            {t('leadership.waitsHelp')}
          </Text>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('leadership.group')}</Table.Th>
                <Table.Th scope="col">{t('leadership.median')}</Table.Th>
                <Table.Th scope="col">{t('leadership.p90')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[
                { group: t('leadership.everyone'), cell: step.waits.overall },
                ...(step.waits.dimensions.find((d) => d.dimension === dimension)?.groups ?? []).map((cell) => ({
                  group: label(dimension, cell.group ?? ''),
                  cell,
                })),
              ].map(({ group, cell }) => (
                <Table.Tr key={group}>
                  <Table.Th scope="row">{group}</Table.Th>
                  {cell.suppressed ? (
                    <Table.Td colSpan={2}>{hiddenWords(t, cell.reason, threshold)}</Table.Td>
                  ) : (
                    <>
                      <Table.Td>{quantile(cell.median)}</Table.Td>
                      <Table.Td>{quantile(cell.p90)}</Table.Td>
                    </>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>
      )}
      <section aria-labelledby="language-access">
        <Title order={2} size="h3" id="language-access">
          {t('leadership.languageAccess')}
        </Title>
        <Text size="sm">{t('leadership.languageAccessHelp')}</Text>
        <List size="sm">
          {view.data.languageAccess.map((l) => (
            <List.Item key={l.group}>
              {languageName(l.group, i18n.language)}:{' '}
              {l.suppressed
                ? hiddenWords(t, l.reason, threshold)
                : t('leadership.inLanguage', { reached: num(l.reached, lang), eligible: num(l.eligible, lang), rate: pct(l.rate, lang) })}
            </List.Item>
          ))}
        </List>
      </section>
    </Stack>
  );
}

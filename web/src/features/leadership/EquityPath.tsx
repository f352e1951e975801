import { Card, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { EquityReport } from '../../../../src/features/leadership/leadership.schema';
import { ScrollTable } from '../../ui/ScrollTable';
import { BarChart } from './BarChart';
import { hiddenWords } from './equityLabels';
import { num, pct } from './format';

type Step = EquityReport['steps'][number];

/**
 * The path as a superintendent should read it. Each bar is the share of the step's own
 * denominator, and that denominator is named under the step ("of students screened"): a funnel
 * drawn as shares of the step before can widen (few screen positive, most of them are followed
 * up), so the text says so instead of calling the bars a narrowing funnel. The measures beside the
 * path (the server marks them `inPath: false`) get their own heading, chart and frame, so no one
 * reads them as steps of the funnel. Steps the server adds later are shown by their order and
 * their own `of`, with generic words until they are translated.
 */
export function EquityPath({ steps, threshold }: { steps: Step[]; threshold: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const stepLabel = (s: string) => t(`leadership.steps.${s}`, { defaultValue: t('leadership.otherStep') });
  const ofLabel = (of: string) => t(`leadership.of.${of}`, { defaultValue: t('leadership.of.previous') });
  const path = steps.filter((s) => s.inPath);
  const beside = steps.filter((s) => !s.inPath);
  const rows = (list: Step[], numbered: boolean) =>
    list.map((s, i) => ({
      label: `${numbered ? `${num(i + 1, lang)}. ` : ''}${stepLabel(s.step)}${s.suppressed ? ` (${t('privacy.hidden')})` : ''}`,
      detail: t('leadership.shareOf', { of: ofLabel(s.of) }),
      values: [s.suppressed ? null : s.rate],
      note: s.suppressed ? t('leadership.hiddenPrivacy') : s.rate === null ? t('leadership.noneEligible') : undefined,
    }));
  const format = (v: number) => pct(v, lang);
  return (
    <Stack>
      <section aria-labelledby="equity-path">
        <Title order={2} size="h3" id="equity-path" mb={4}>
          {t('leadership.thePath')}
        </Title>
        <Text size="sm" mb="xs">
          {t('leadership.funnelHelp')}
        </Text>
        <BarChart title={t('leadership.pathChart')} series={[t('leadership.rate')]} rows={rows(path, true)} format={format} max={1} />
      </section>
      {beside.length > 0 && (
        <Card withBorder component="section" aria-labelledby="equity-beside" bg="var(--mantine-color-gray-0)">
          <Title order={2} size="h3" id="equity-beside" mb={4}>
            {t('leadership.alongside')}
          </Title>
          <Text size="sm" mb="xs">
            {t('leadership.alongsideHelp')}
          </Text>
          <BarChart title={t('leadership.besideChart')} series={[t('leadership.rate')]} rows={rows(beside, false)} format={format} max={1} />
        </Card>
      )}
      <ScrollTable label={t('leadership.stepsTable')} minWidth={520}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('leadership.step')}</Table.Th>
              <Table.Th scope="col">{t('leadership.ofColumn')}</Table.Th>
              <Table.Th scope="col">{t('leadership.reachedOf')}</Table.Th>
              <Table.Th scope="col">{t('leadership.rate')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          {[
            { title: t('leadership.thePath'), rows: path },
            { title: t('leadership.alongside'), rows: beside },
          ]
            .filter((part) => part.rows.length > 0)
            .map((part) => (
              <Table.Tbody key={part.title}>
                <Table.Tr>
                  <Table.Th colSpan={4} scope="colgroup">
                    {part.title}
                  </Table.Th>
                </Table.Tr>
                {part.rows.map((s) => (
                  <Table.Tr key={s.step}>
                    <Table.Th scope="row" fw={400}>
                      {stepLabel(s.step)}
                    </Table.Th>
                    <Table.Td>{ofLabel(s.of)}</Table.Td>
                    {s.suppressed || s.reached === null || s.eligible === null ? (
                      <Table.Td colSpan={2}>{hiddenWords(t, undefined, threshold)}</Table.Td>
                    ) : (
                      <>
                        <Table.Td>
                          {num(s.reached, lang)} / {num(s.eligible, lang)}
                        </Table.Td>
                        <Table.Td>{pct(s.rate, lang)}</Table.Td>
                      </>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            ))}
        </Table>
      </ScrollTable>
    </Stack>
  );
}

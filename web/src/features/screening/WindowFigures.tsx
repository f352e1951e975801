import { Badge, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { WindowDashboard } from '../../../../src/features/screening/screening.schema';
import { useInstrumentNames } from '../../ui/labels';
import { ScrollTable } from '../../ui/ScrollTable';

/**
 * A school's figures for the window. For an analyst (no exact view of the school's students) the
 * server hides small counts and the ones that would let them be worked out (decision 23): such a
 * count, and a rate built on it, is `null`, and `suppressed` names them ("positives",
 * "bands.phq-a.severe"). Everyone else gets every number and an empty `suppressed`.
 */
export type Dashboard = WindowDashboard;

const percent = (x: number) => `${Math.round(x * 100)}%`;

/**
 * The figures per school. A hidden count reads "hidden" (never blank or "null"), and a note under
 * the table says why, with the district's threshold. It does not say "under {threshold}" on the
 * cell: a count is also hidden when it would give a small one away (38 of 40 enrolled gives 2),
 * and that count is not small. A rate built on a hidden count is left out.
 */
export function WindowFigures({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  const instruments = useInstrumentNames();
  const hidden = t('privacy.hidden');
  const count = (n: number | null) => (n === null ? hidden : String(n));
  const ratio = (part: number | null, whole: number | null, rate: number | null) =>
    `${count(part)} / ${count(whole)}${rate !== null ? ` (${percent(rate)})` : part !== null && whole !== null ? ' (—)' : ''}`;
  const anyHidden = data.schools.some((s) => s.suppressed.length > 0);
  return (
    <>
      <ScrollTable label={t('screening.figuresCaption')} minWidth={720}>
        <Table>
          <Table.Caption>{t('screening.figuresCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('screening.school')}</Table.Th>
              <Table.Th scope="col">{t('screening.screened')}</Table.Th>
              <Table.Th scope="col">{t('screening.optedOut')}</Table.Th>
              <Table.Th scope="col">{t('screening.absent')}</Table.Th>
              <Table.Th scope="col">{t('screening.declined')}</Table.Th>
              <Table.Th scope="col">{t('screening.positivesByBand')}</Table.Th>
              <Table.Th scope="col">{t('screening.alertsAcknowledged')}</Table.Th>
              <Table.Th scope="col">{t('screening.followedUpInTime')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.schools.map((s) => (
              <Table.Tr key={s.schoolId}>
                <Table.Th scope="row">{s.school}</Table.Th>
                <Table.Td>{ratio(s.screened, s.enrolled, s.participation)}</Table.Td>
                <Table.Td>{count(s.optedOut)}</Table.Td>
                <Table.Td>{count(s.absent)}</Table.Td>
                <Table.Td>{count(s.declined)}</Table.Td>
                <Table.Td>
                  {Object.entries(s.bands).map(([instrument, bands]) => (
                    <Text key={instrument} size="sm">
                      <abbr title={instruments.title(instrument)}>{instruments.name(instrument)}</abbr>:{' '}
                      {Object.entries(bands)
                        .map(([band, n]) => `${t(`bands.${band}`, { defaultValue: t('bands.not_scored') })} ${count(n)}`)
                        .join(', ')}
                    </Text>
                  ))}
                </Table.Td>
                <Table.Td>
                  {count(s.alertsAcknowledged)} / {count(s.alerts)}
                </Table.Td>
                <Table.Td>
                  {ratio(s.followedUpInTime, s.followUpsDue, s.followUpRate)}
                  {s.overdue !== null && s.overdue > 0 && (
                    <Badge ml="xs" color="red.9" variant="outline">
                      {t('screening.overdueCount', { count: s.overdue })}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {anyHidden && (
        <Text size="sm" mt="xs">
          {t('privacy.hiddenNote', { n: data.threshold })}
        </Text>
      )}
    </>
  );
}

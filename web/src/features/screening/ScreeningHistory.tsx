import { Badge, Card, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ScreeningHistory as History } from '../../../../src/features/screening/screening.schema';
import { api } from '../../api';
import { useWhen } from '../../ui/dates';
import { useInstrumentNames } from '../../ui/labels';
import { EmergencyAsqForm } from './EmergencyAsqForm';

type Result = History['results'][number];

const palette = ['#1c4f82', '#8a1c1c', '#2b6a2f', '#6a3d9a'];

/**
 * A student's screening results over time: a line per instrument (total scores) and the same
 * numbers as a table, which is what a screen reader reads. Shown only to roles that may see them.
 */
export function ScreeningHistory({ studentId }: { studentId: string }) {
  const { t } = useTranslation();
  const { on } = useWhen();
  const instruments = useInstrumentNames();
  const history = useQuery({
    queryKey: ['screening', 'history', studentId],
    queryFn: () => api<History>('GET', `/api/v1/students/${studentId}/screenings`),
    retry: false,
  });
  if (!history.data) return null;
  const results = [...history.data.results].reverse();
  const scored = results.filter((r) => r.score !== null);
  const byInstrument = new Map<string, Result[]>();
  for (const r of scored) byInstrument.set(r.instrumentId, [...(byInstrument.get(r.instrumentId) ?? []), r]);
  const width = 560;
  const height = 180;
  const times = scored.map((r) => Date.parse(r.administeredAt));
  const [minT, maxT] = [Math.min(...times), Math.max(...times)];
  const maxScore = Math.max(27, ...scored.map((r) => r.score ?? 0));
  const x = (at: string) => (maxT === minT ? width / 2 : 30 + ((Date.parse(at) - minT) / (maxT - minT)) * (width - 60));
  const y = (score: number) => height - 20 - (score / maxScore) * (height - 40);
  return (
    <Card withBorder mt="lg" component="section" aria-labelledby="screening-history">
      <Title order={2} size="h3" id="screening-history" mb="sm">
        {t('screening.history')}
      </Title>
      {results.length === 0 && <Text>{t('screening.noResults')}</Text>}
      {scored.length > 0 && (
        <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={t('screening.chartLabel')} style={{ maxWidth: width }}>
          <line x1={30} y1={y(10)} x2={width - 30} y2={y(10)} stroke="#888" strokeDasharray="4 4" />
          <text x={width - 28} y={y(10) + 4} fontSize="11" fill="#333">
            10
          </text>
          {[...byInstrument.entries()].map(([instrument, points], i) => (
            <g key={instrument}>
              <polyline
                fill="none"
                stroke={palette[i % palette.length]}
                strokeWidth={2}
                points={points.map((p) => `${x(p.administeredAt)},${y(p.score ?? 0)}`).join(' ')}
              />
              {points.map((p) => (
                <circle key={p.id} cx={x(p.administeredAt)} cy={y(p.score ?? 0)} r={4} fill={palette[i % palette.length]} />
              ))}
              <text x={34} y={14 + i * 14} fontSize="12" fill={palette[i % palette.length]}>
                {instruments.name(instrument)}
              </text>
            </g>
          ))}
        </svg>
      )}
      {results.length > 0 && (
        <Table mt="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('screening.when')}</Table.Th>
              <Table.Th scope="col">{t('screening.instrument')}</Table.Th>
              <Table.Th scope="col">{t('screening.score')}</Table.Th>
              <Table.Th scope="col">{t('screening.result')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.data.results.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{on(r.administeredAt)}</Table.Td>
                <Table.Td>
                  <abbr title={instruments.title(r.instrumentId)}>{instruments.name(r.instrumentId)}</abbr>
                </Table.Td>
                <Table.Td>{r.score === null ? '—' : Math.floor(r.score + 0.5)}</Table.Td>
                <Table.Td>
                  {t(`bands.${r.band ?? 'not_scored'}`, { defaultValue: t('bands.not_scored') })}
                  {r.flags.includes('suicide_risk') && (
                    <Badge ml="xs" color="red.9">
                      {t('screening.suicideRisk')}
                    </Badge>
                  )}
                  {r.flags.includes('risk_unknown') && (
                    <Badge ml="xs" color="#8a4b00">
                      {t('screening.riskUnknown')}
                    </Badge>
                  )}
                  {r.emergency && (
                    <Badge ml="xs" color="gray.7" variant="outline">
                      {t('screening.emergency')}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <EmergencyAsqForm studentId={studentId} />
    </Card>
  );
}

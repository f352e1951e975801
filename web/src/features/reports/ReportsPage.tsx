import { Anchor, Badge, Button, Card, Group, NativeSelect, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { ReportFigures, ReportList } from '../../../../src/features/crisis-reports/crisis-reports.schema';
import { api } from '../../api';
import { useSession } from '../../session';
import { useWhen } from '../../ui/dates';
import { channelLabel } from '../../ui/labels';
import { ScrollTable } from '../../ui/ScrollTable';
import { useWide } from '../../ui/useWide';

type ReportRow = ReportList['items'][number];

/** White text on each of these is at least 4.5:1 (orange is #8a4b00, not Mantine's orange.9). */
export const urgencyColor: Record<string, string> = { life_safety: 'red.9', urgent: '#8a4b00', routine: 'gray.7' };
const filters = ['open', 'unacknowledged', 'overdue', 'closed', 'all'] as const;

/** The server names reports with no school by the key `district_level` in the figures. */
const metricValue = (t: TFunction, dimension: string, value: string) =>
  dimension === 'urgency'
    ? t(`urgencies.${value}`)
    : dimension === 'channel'
      ? channelLabel(t, value)
      : dimension === 'school' && value === 'district_level'
        ? t('reports.districtLevel')
        : value;

/** The crisis team's inbox and response times; new reports appear as they arrive (live alerts). */
export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const { schoolId, me } = useSession();
  const wide = useWide();
  const [params, setParams] = useSearchParams();
  const status = (filters as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as (typeof filters)[number]) : 'open';
  const reports = useQuery({
    queryKey: ['reports', status, schoolId],
    queryFn: () => api<ReportList>('GET', `/api/v1/reports?status=${status}${schoolId ? `&school=${schoolId}` : ''}`),
    refetchInterval: 30_000,
  });
  const metrics = useQuery({ queryKey: ['reports', 'metrics'], queryFn: () => api<ReportFigures>('GET', '/api/v1/reports/metrics?days=30') });
  const { when } = useWhen();
  const minutes = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  const pair = (v: { median: number | null; p90: number | null }) =>
    `${v.median === null ? '—' : minutes.format(v.median)} / ${v.p90 === null ? '—' : minutes.format(v.p90)}`;
  const filterOptions = filters.map((f) => ({ value: f, label: t(`reports.filters.${f}`) }));
  const received = (r: ReportRow) => (
    <Anchor component={Link} to={`/reports/${r.id}`}>
      {when(r.receivedAt)}
    </Anchor>
  );
  const urgency = (r: ReportRow) => (
    <Badge color={urgencyColor[r.urgency]} variant="filled">
      {t(`urgencies.${r.urgency}`)}
    </Badge>
  );
  const statusText = (r: ReportRow) => (
    <>
      {t(`statuses.${r.status}`)}
      {r.disposition && ` · ${t(`report.dispositions.${r.disposition}`)}`}
      {r.overdue && (
        <Badge ml="xs" color="red.9" variant="outline">
          {t('reports.overdue')}
        </Badge>
      )}
      {r.throttleGroup && (
        <Text size="sm" component="span" display="block">
          {t('reports.throttleGroup', { count: r.throttleGroup.size, open: r.throttleGroup.open })}
        </Text>
      )}
    </>
  );
  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={1}>{t('reports.title')}</Title>
        {me?.abilities.submitReports && (
          <Button component={Link} to="/reports/new">
            {t('reports.new')}
          </Button>
        )}
      </Group>
      {wide ? (
        <SegmentedControl aria-label={t('reports.status')} value={status} onChange={(value) => setParams({ status: value })} data={filterOptions} mb="md" />
      ) : (
        <NativeSelect
          label={t('reports.status')}
          value={status}
          onChange={(event) => setParams({ status: event.currentTarget.value })}
          data={filterOptions}
          mb="md"
        />
      )}
      {reports.data && reports.data.items.length === 0 && <Text>{t('reports.none')}</Text>}
      {reports.data && reports.data.items.length > 0 && wide && (
        <ScrollTable label={t('reports.title')} minWidth={640}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('reports.received')}</Table.Th>
                <Table.Th scope="col">{t('reports.urgency')}</Table.Th>
                <Table.Th scope="col">{t('reports.category')}</Table.Th>
                <Table.Th scope="col">{t('reports.school')}</Table.Th>
                <Table.Th scope="col">{t('reports.channel')}</Table.Th>
                <Table.Th scope="col">{t('reports.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {reports.data.items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{received(r)}</Table.Td>
                  <Table.Td>{urgency(r)}</Table.Td>
                  <Table.Td>{t(`categories.${r.category}`)}</Table.Td>
                  <Table.Td>{r.school ?? t('reports.districtLevel')}</Table.Td>
                  <Table.Td>{channelLabel(t, r.channel)}</Table.Td>
                  <Table.Td>{statusText(r)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {reports.data && reports.data.items.length > 0 && !wide && (
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('reports.title')}>
          {reports.data.items.map((r) => (
            <Card key={r.id} component="li" withBorder padding="sm">
              <Group gap="xs" mb={4}>
                {urgency(r)}
                <Anchor component={Link} to={`/reports/${r.id}`} fw={700}>
                  {t(`categories.${r.category}`)}
                </Anchor>
              </Group>
              <Text size="sm">
                {t('reports.received')}: {when(r.receivedAt)}
              </Text>
              <Text size="sm">
                {r.school ?? t('reports.districtLevel')} · {channelLabel(t, r.channel)}
              </Text>
              <Text size="sm">
                {t('reports.status')}: {statusText(r)}
              </Text>
            </Card>
          ))}
        </Stack>
      )}
      {metrics.data && metrics.data.groups.length > 0 && (
        <>
          <Title order={2} size="h3" mt="xl" mb="sm">
            {t('reports.figures')}
          </Title>
          <ScrollTable label={t('reports.figures')} minWidth={640}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('reports.dimension')}</Table.Th>
                  <Table.Th scope="col">{t('reports.count')}</Table.Th>
                  <Table.Th scope="col">{t('reports.waiting')}</Table.Th>
                  <Table.Th scope="col">{t('reports.tta')}</Table.Th>
                  <Table.Th scope="col">{t('reports.ttfa')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {metrics.data.groups.map((g) => (
                  <Table.Tr key={`${g.dimension}-${g.value}`}>
                    <Table.Th scope="row" fw={400}>
                      {t(`reports.dimensions.${g.dimension}`, { defaultValue: t('reports.dimension') })}: {metricValue(t, g.dimension, g.value)}
                    </Table.Th>
                    <Table.Td>{g.reports}</Table.Td>
                    <Table.Td>{g.waiting}</Table.Td>
                    <Table.Td>{pair(g.minutesToAcknowledge)}</Table.Td>
                    <Table.Td>{pair(g.minutesToFirstAction)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        </>
      )}
    </>
  );
}

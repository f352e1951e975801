import { Anchor, Badge, Button, Group, SegmentedControl, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api';
import { useSession } from '../../session';

type ReportRow = {
  id: string;
  receivedAt: string;
  school: string | null;
  channel: string;
  category: string;
  urgency: string;
  status: string;
  disposition: string | null;
  overdue: boolean;
};
type Metrics = {
  groups: {
    dimension: string;
    value: string;
    reports: number;
    waiting: number;
    minutesToAcknowledge: { median: number | null; p90: number | null };
    minutesToFirstAction: { median: number | null; p90: number | null };
  }[];
};

export const urgencyColor: Record<string, string> = { life_safety: 'red.9', urgent: 'orange.9', routine: 'gray.7' };
const filters = ['open', 'unacknowledged', 'overdue', 'closed', 'all'] as const;

/** The crisis team's inbox and response times; new reports appear as they arrive (live alerts). */
export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const { schoolId, me } = useSession();
  const [params, setParams] = useSearchParams();
  const status = (filters as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as (typeof filters)[number]) : 'open';
  const reports = useQuery({
    queryKey: ['reports', status, schoolId],
    queryFn: () => api<{ items: ReportRow[] }>('GET', `/api/v1/reports?status=${status}${schoolId ? `&school=${schoolId}` : ''}`),
    refetchInterval: 30_000,
  });
  const metrics = useQuery({ queryKey: ['reports', 'metrics'], queryFn: () => api<Metrics>('GET', '/api/v1/reports/metrics?days=30') });
  const pair = (v: { median: number | null; p90: number | null }) => `${v.median ?? '—'} / ${v.p90 ?? '—'}`;
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
      <SegmentedControl
        aria-label={t('reports.status')}
        value={status}
        onChange={(value) => setParams({ status: value })}
        data={filters.map((f) => ({ value: f, label: t(`reports.filters.${f}`) }))}
        mb="md"
      />
      {reports.data && reports.data.items.length === 0 && <Text>{t('reports.none')}</Text>}
      {reports.data && reports.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
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
                  <Table.Td>
                    <Anchor component={Link} to={`/reports/${r.id}`}>
                      {new Date(r.receivedAt).toLocaleString(i18n.language)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={urgencyColor[r.urgency]} variant="filled">
                      {t(`urgencies.${r.urgency}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{t(`categories.${r.category}`)}</Table.Td>
                  <Table.Td>{r.school ?? t('reports.districtLevel')}</Table.Td>
                  <Table.Td>{r.channel.replaceAll('_', ' ')}</Table.Td>
                  <Table.Td>
                    {t(`statuses.${r.status}`)}
                    {r.disposition && ` · ${t(`report.dispositions.${r.disposition}`)}`}
                    {r.overdue && (
                      <Badge ml="xs" color="red.9" variant="outline">
                        {t('reports.overdue')}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {metrics.data && metrics.data.groups.length > 0 && (
        <>
          <Title order={2} size="h3" mt="xl" mb="sm">
            {t('reports.figures')}
          </Title>
          <Table.ScrollContainer minWidth={640}>
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
                    <Table.Td>
                      {g.dimension}: {g.dimension === 'urgency' ? t(`urgencies.${g.value}`) : g.value.replaceAll('_', ' ')}
                    </Table.Td>
                    <Table.Td>{g.reports}</Table.Td>
                    <Table.Td>{g.waiting}</Table.Td>
                    <Table.Td>{pair(g.minutesToAcknowledge)}</Table.Td>
                    <Table.Td>{pair(g.minutesToFirstAction)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </>
  );
}

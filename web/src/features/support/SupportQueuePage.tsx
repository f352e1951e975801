import { Alert, Anchor, Badge, Group, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SupportQueue as Queue } from '../../../../src/features/plans/plans.schema';
import { api } from '../../api';
import { gradeLabel } from '../../ui/labels';
import { ScrollTable } from '../../ui/ScrollTable';

/** The counselor's home page: students something says need support, with nothing in place yet. */
export function SupportQueuePage() {
  const { t } = useTranslation();
  const queue = useQuery({ queryKey: ['support-queue'], queryFn: () => api<Queue>('GET', '/api/v1/support/queue') });
  return (
    <>
      <Group justify="space-between" mb="xs">
        <Title order={1}>{t('support.title')}</Title>
        <Anchor component={Link} to="/caseload">
          {t('support.caseload')}
        </Anchor>
      </Group>
      <Text mb="md">{t('support.intro')}</Text>
      {queue.error && <Alert color="red">{queue.error.message}</Alert>}
      {queue.data && queue.data.entries.length === 0 && <Alert role="status">{t('support.empty')}</Alert>}
      {queue.data && queue.data.entries.length > 0 && (
        <ScrollTable label={t('support.title')} minWidth={560}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('support.student')}</Table.Th>
                <Table.Th scope="col">{t('support.why')}</Table.Th>
                <Table.Th scope="col">{t('support.waited')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {queue.data.entries.map((e) => (
                <Table.Tr key={e.student.id}>
                  <Table.Th scope="row">
                    <Anchor component={Link} to={`/students/${e.student.id}`}>
                      {e.student.lastName}, {e.student.firstName}
                    </Anchor>
                    <Text size="sm" c="dimmed">
                      {e.student.school} · {t('screening.grade')} {gradeLabel(t, e.student.grade)}
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    {e.reasons.map((r) => (
                      <Badge key={`${r.reason}-${r.since}`} variant="outline" color="blue.8" mr={4}>
                        {t(`support.reasons.${r.reason}`)}
                      </Badge>
                    ))}
                  </Table.Td>
                  <Table.Td>
                    {/* Never "-1 day": the server counts district days from the past; this holds even for an older server. */}
                    {t('support.days', { count: Math.max(0, e.waitedDays) })}
                    {e.waitedDays >= 5 && (
                      <Badge ml="xs" color="red.9" variant="outline">
                        {t('reports.overdue')}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {queue.data && queue.data.bySchool.length > 0 && (
        <Table mt="lg">
          <Table.Caption>{t('support.bySchool')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('screening.school')}</Table.Th>
              <Table.Th scope="col">{t('support.waiting')}</Table.Th>
              <Table.Th scope="col">{t('support.median')}</Table.Th>
              <Table.Th scope="col">{t('support.longest')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {queue.data.bySchool.map((s) => (
              <Table.Tr key={s.school}>
                <Table.Th scope="row">{s.school}</Table.Th>
                <Table.Td>{s.waiting}</Table.Td>
                <Table.Td>{s.medianDays}</Table.Td>
                <Table.Td>{s.longestDays}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}

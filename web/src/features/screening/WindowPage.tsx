import { Alert, Anchor, Badge, Button, Card, Group, Menu, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api';

type RosterRow = {
  id: string;
  name: string;
  localId: string;
  grade: string;
  school: string;
  status: string;
  heldSessionId: string | null;
  eligible: boolean;
  instruments: string[];
  reason: string | null;
};
type Roster = { window: { id: string; name: string; opensOn: string; closesOn: string; instrumentIds: string[] }; students: RosterRow[] };
type SchoolFigures = {
  schoolId: string;
  school: string;
  enrolled: number;
  consented: number;
  optedOut: number;
  screened: number;
  absent: number;
  /** Students who chose "I'd rather not": never counted absent. */
  declined: number;
  participation: number | null;
  bands: Record<string, Record<string, number>>;
  positives: number;
  followedUpInTime: number;
  overdue: number;
  followUpRate: number | null;
  alerts: number;
  alertsAcknowledged: number;
};
type Dashboard = { window: { name: string }; schools: SchoolFigures[] };

const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
const statusColor: Record<string, string> = {
  held: 'red.9',
  screened: 'green.9',
  opted_out: 'gray.7',
  absent: 'orange.9',
  declined: 'gray.7',
  issued: 'blue.8',
  started: 'blue.8',
};

/**
 * One window: its figures per school, and the roster a proctor works from (codes, absences,
 * consent). Consent and opt-outs recorded here are for this window; an opt-out may cover the
 * whole school year (decision 20).
 */
export function WindowPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const dashboard = useQuery({ queryKey: ['screening', 'dashboard', id], queryFn: () => api<Dashboard>('GET', `/api/v1/screening/windows/${id}/dashboard`) });
  const roster = useQuery({ queryKey: ['screening', 'roster', id], queryFn: () => api<Roster>('GET', `/api/v1/screening/windows/${id}/roster`), retry: false });
  const [code, setCode] = useState<{ name: string; code: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['screening', 'roster', id] });
    void queryClient.invalidateQueries({ queryKey: ['screening', 'dashboard', id] });
  };
  const issue = useMutation({
    mutationFn: (row: RosterRow) =>
      api<{ code: string }>('POST', `/api/v1/screening/windows/${id}/codes`, { studentId: row.id }).then((r) => ({ name: row.name, code: r.code })),
    onSuccess: (issued) => {
      setCode(issued);
      refresh();
    },
  });
  const release = useMutation({
    mutationFn: (row: RosterRow) => api('POST', `/api/v1/screening/windows/${id}/sessions/${row.heldSessionId}/release`),
    onSuccess: refresh,
  });
  const held = roster.data?.students.filter((row) => row.heldSessionId) ?? [];
  const absent = useMutation({
    mutationFn: (row: RosterRow) => api('POST', `/api/v1/screening/windows/${id}/absent`, { studentId: row.id }),
    onSuccess: refresh,
  });
  const consent = useMutation({
    mutationFn: (input: { row: RosterRow; kind: 'consent' | 'opt_out'; scope?: 'school_year' }) =>
      api('POST', `/api/v1/students/${input.row.id}/screening-consents`, {
        kind: input.kind,
        source: 'paper',
        ...(input.scope ? { scope: input.scope } : { windowId: id }),
      }),
    onSuccess: refresh,
  });
  const notices = useMutation({
    mutationFn: () => api<{ emailed: number; needPrintedLetter: number }>('POST', `/api/v1/screening/windows/${id}/notices`),
    onSuccess: (r) => setNotice(t('screening.noticesSent', { emailed: r.emailed, print: r.needPrintedLetter })),
  });
  const failure = issue.error ?? absent.error ?? consent.error ?? notices.error;
  return (
    <>
      <Anchor component={Link} to="/screening">
        {t('screening.back')}
      </Anchor>
      <Title order={1} mt="sm" mb="md">
        {dashboard.data?.window.name ?? roster.data?.window.name ?? t('screening.title')}
      </Title>
      {dashboard.data && (
        <Table.ScrollContainer minWidth={720}>
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
              {dashboard.data.schools.map((s) => (
                <Table.Tr key={s.schoolId}>
                  <Table.Th scope="row">{s.school}</Table.Th>
                  <Table.Td>
                    {s.screened} / {s.enrolled} ({percent(s.participation)})
                  </Table.Td>
                  <Table.Td>{s.optedOut}</Table.Td>
                  <Table.Td>{s.absent}</Table.Td>
                  <Table.Td>{s.declined}</Table.Td>
                  <Table.Td>
                    {Object.entries(s.bands).map(([instrument, bands]) => (
                      <Text key={instrument} size="sm">
                        {instrument}:{' '}
                        {Object.entries(bands)
                          .map(([band, n]) => `${t(`bands.${band}`, { defaultValue: band.replaceAll('_', ' ') })} ${n}`)
                          .join(', ')}
                      </Text>
                    ))}
                  </Table.Td>
                  <Table.Td>
                    {s.alertsAcknowledged} / {s.alerts}
                  </Table.Td>
                  <Table.Td>
                    {s.followedUpInTime} / {s.positives} ({percent(s.followUpRate)})
                    {s.overdue > 0 && (
                      <Badge ml="xs" color="red.9" variant="outline">
                        {t('screening.overdueCount', { count: s.overdue })}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {roster.data && (
        <Card withBorder mt="lg" component="section" aria-labelledby="roster">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h3" id="roster">
              {t('screening.roster')}
            </Title>
            <Group>
              <Button variant="default" onClick={() => notices.mutate()} loading={notices.isPending}>
                {t('screening.sendNotices')}
              </Button>
              <Button variant="default" component="a" href={`/api/v1/screening/windows/${id}/notices/print`} target="_blank">
                {t('screening.printNotices')}
              </Button>
            </Group>
          </Group>
          <Text size="sm" mb="sm">
            {t('screening.studentLink', { url: `${window.location.origin}/screen` })}
          </Text>
          <Text size="sm" mb="sm">
            {t('screening.consentPerWindow')}
          </Text>
          {notice && <Alert role="status">{notice}</Alert>}
          {code && (
            <Alert role="status" title={t('screening.codeFor', { name: code.name })} mb="sm">
              <Text ff="monospace" fz={28} fw={700}>
                {code.code}
              </Text>
              <Text size="sm">{t('screening.codeOnce')}</Text>
            </Alert>
          )}
          {held.map((row) => (
            <Alert key={row.id} color="red.9" variant="filled" role="alert" mb="sm" title={t('screening.holdTitle', { name: row.name })}>
              <Text size="sm">{t('screening.hold')}</Text>
              <Button mt="xs" color="dark" size="xs" onClick={() => release.mutate(row)}>
                {t('screening.release', { name: row.name })}
              </Button>
            </Alert>
          ))}
          {failure && (
            <Alert color="red" role="alert" mb="sm">
              {failure.message}
            </Alert>
          )}
          <Table.ScrollContainer minWidth={720}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('screening.student')}</Table.Th>
                  <Table.Th scope="col">{t('screening.grade')}</Table.Th>
                  <Table.Th scope="col">{t('screening.status')}</Table.Th>
                  <Table.Th scope="col">{t('screening.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {roster.data.students.map((row) => (
                  <Table.Tr key={row.id}>
                    <Table.Th scope="row">
                      <Anchor component={Link} to={`/students/${row.id}`}>
                        {row.name}
                      </Anchor>{' '}
                      <Text span size="sm" c="dimmed">
                        {row.localId}
                      </Text>
                    </Table.Th>
                    <Table.Td>{row.grade}</Table.Td>
                    <Table.Td>
                      <Badge color={statusColor[row.status] ?? 'gray.7'} variant="light">
                        {t(`screening.statuses.${row.status}`)}
                      </Badge>
                      {row.reason && (
                        <Text size="xs" c="dimmed">
                          {row.reason}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs">
                        {row.eligible && row.status !== 'screened' && (
                          <Button size="xs" onClick={() => issue.mutate(row)} aria-label={t('screening.giveCodeTo', { name: row.name })}>
                            {t('screening.giveCode')}
                          </Button>
                        )}
                        {row.status !== 'screened' && row.status !== 'absent' && row.status !== 'declined' && (
                          <Button size="xs" variant="default" onClick={() => absent.mutate(row)} aria-label={t('screening.markAbsentFor', { name: row.name })}>
                            {t('screening.markAbsent')}
                          </Button>
                        )}
                        {!row.eligible && row.status !== 'opted_out' && (
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => consent.mutate({ row, kind: 'consent' })}
                            aria-label={t('screening.consentFor', { name: row.name })}
                          >
                            {t('screening.consentReceived')}
                          </Button>
                        )}
                        {row.status !== 'opted_out' && row.status !== 'screened' && (
                          <Menu position="bottom-end">
                            <Menu.Target>
                              <Button size="xs" variant="subtle" aria-label={t('screening.optOutFor', { name: row.name })}>
                                {t('screening.optOut')}
                              </Button>
                            </Menu.Target>
                            <Menu.Dropdown>
                              <Menu.Item onClick={() => consent.mutate({ row, kind: 'opt_out' })}>{t('screening.optOutWindow')}</Menu.Item>
                              <Menu.Item onClick={() => consent.mutate({ row, kind: 'opt_out', scope: 'school_year' })}>{t('screening.optOutYear')}</Menu.Item>
                            </Menu.Dropdown>
                          </Menu>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
    </>
  );
}

import { Alert, Anchor, Badge, Button, Card, Group, Menu, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api';
import { useWide } from '../../ui/useWide';
import { type Dashboard, WindowFigures } from './WindowFigures';

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

/**
 * Each status by its words, a shape and a colour (never colour alone). Filled badges are white on
 * a shade of at least 4.5:1; outlined ones are dark grey text on white.
 */
const statusLook: Record<string, { color: string; variant: 'filled' | 'outline'; icon: string }> = {
  held: { color: '#c92a2a', variant: 'filled', icon: '!' },
  screened: { color: '#1e6b34', variant: 'filled', icon: '✓' },
  issued: { color: '#1c4f82', variant: 'filled', icon: '●' },
  started: { color: '#1c4f82', variant: 'filled', icon: '▶' },
  absent: { color: '#8a4b00', variant: 'filled', icon: '✕' },
  opted_out: { color: '#495057', variant: 'outline', icon: '⊘' },
  declined: { color: '#495057', variant: 'outline', icon: '–' },
};
const quietLook = { color: '#495057', variant: 'outline' as const, icon: '○' };

/** The roster shows this many students at a time; the search finds anyone at once. */
const pageSize = 100;

/**
 * "Adams, Ava" as "Ava Adams": the order the live "keep the student with you" alert uses, so the
 * proctor matches the two at a glance. The roster stays sorted by family name.
 */
export const givenNameFirst = (name: string) => {
  const comma = name.lastIndexOf(', ');
  return comma < 0 ? name : `${name.slice(comma + 2)} ${name.slice(0, comma)}`;
};
const folded = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const look = statusLook[status] ?? quietLook;
  return (
    <Badge
      color={look.color}
      variant={look.variant}
      leftSection={<span aria-hidden="true">{look.icon}</span>}
      fw={status === 'held' ? 800 : 700}
      size={status === 'held' ? 'lg' : 'md'}
    >
      {t(`screening.statuses.${status}`)}
    </Badge>
  );
}

/**
 * One window: its figures per school, and the roster a proctor works from (codes, absences,
 * consent). Consent and opt-outs recorded here are for this window; an opt-out may cover the
 * whole school year (decision 20).
 */
export function WindowPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const wide = useWide();
  const queryClient = useQueryClient();
  const dashboard = useQuery({ queryKey: ['screening', 'dashboard', id], queryFn: () => api<Dashboard>('GET', `/api/v1/screening/windows/${id}/dashboard`) });
  const roster = useQuery({ queryKey: ['screening', 'roster', id], queryFn: () => api<Roster>('GET', `/api/v1/screening/windows/${id}/roster`), retry: false });
  const [code, setCode] = useState<{ name: string; code: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [limit, setLimit] = useState(pageSize);
  // An error belongs to the action that failed: a new roster, or the next action that works, clears it.
  useEffect(() => {
    if (roster.data) setFailure(null);
  }, [roster.data]);
  const refresh = () => {
    setFailure(null);
    void queryClient.invalidateQueries({ queryKey: ['screening', 'roster', id] });
    void queryClient.invalidateQueries({ queryKey: ['screening', 'dashboard', id] });
  };
  const failed = (error: Error) => setFailure(error.message || t('errors.generic'));
  const issue = useMutation({
    mutationFn: (row: RosterRow) =>
      api<{ code: string }>('POST', `/api/v1/screening/windows/${id}/codes`, { studentId: row.id }).then((r) => ({
        name: givenNameFirst(row.name),
        code: r.code,
      })),
    onSuccess: (issued) => {
      setCode(issued);
      refresh();
    },
    onError: failed,
  });
  const release = useMutation({
    mutationFn: (row: RosterRow) => api('POST', `/api/v1/screening/windows/${id}/sessions/${row.heldSessionId}/release`),
    onSuccess: refresh,
    onError: failed,
  });
  const absent = useMutation({
    mutationFn: (row: RosterRow) => api('POST', `/api/v1/screening/windows/${id}/absent`, { studentId: row.id }),
    onSuccess: refresh,
    onError: failed,
  });
  const consent = useMutation({
    mutationFn: (input: { row: RosterRow; kind: 'consent' | 'opt_out'; scope?: 'school_year' }) =>
      api('POST', `/api/v1/students/${input.row.id}/screening-consents`, {
        kind: input.kind,
        source: 'paper',
        ...(input.scope ? { scope: input.scope } : { windowId: id }),
      }),
    onSuccess: refresh,
    onError: failed,
  });
  const notices = useMutation({
    mutationFn: () => api<{ emailed: number; needPrintedLetter: number }>('POST', `/api/v1/screening/windows/${id}/notices`),
    onSuccess: (r) => {
      setFailure(null);
      setNotice(t('screening.noticesSent', { emailed: r.emailed, print: r.needPrintedLetter }));
    },
    onError: failed,
  });
  const students = roster.data?.students ?? [];
  const held = students.filter((row) => row.heldSessionId);
  const wanted = folded(search.trim());
  const matching = wanted
    ? students.filter((row) => [row.name, givenNameFirst(row.name), row.localId].some((text) => folded(text).includes(wanted)))
    : students;
  const shown = matching.slice(0, limit);
  const working = (mutation: { isPending: boolean; variables?: RosterRow }, row: RosterRow) => mutation.isPending && mutation.variables?.id === row.id;

  /** What a proctor can do for one student. A held student: only the release, nothing else. */
  const actionsFor = (row: RosterRow): ReactNode => {
    const name = givenNameFirst(row.name);
    if (row.heldSessionId) {
      return (
        <Button
          size="xs"
          color="red.9"
          className="wrap-button"
          onClick={() => release.mutate(row)}
          loading={release.isPending}
          aria-label={t('screening.releaseFor', { name })}
        >
          {t('screening.releaseShort')}
        </Button>
      );
    }
    return (
      <Group gap="xs">
        {row.eligible && row.status !== 'screened' && (
          <Button size="xs" onClick={() => issue.mutate(row)} loading={working(issue, row)} aria-label={t('screening.giveCodeTo', { name })}>
            {t('screening.giveCode')}
          </Button>
        )}
        {row.status !== 'screened' && row.status !== 'absent' && row.status !== 'declined' && (
          <Button
            size="xs"
            variant="default"
            onClick={() => absent.mutate(row)}
            loading={working(absent, row)}
            aria-label={t('screening.markAbsentFor', { name })}
          >
            {t('screening.markAbsent')}
          </Button>
        )}
        {!row.eligible && row.status !== 'opted_out' && (
          <Button
            size="xs"
            variant="default"
            className="wrap-button"
            onClick={() => consent.mutate({ row, kind: 'consent' })}
            aria-label={t('screening.consentFor', { name })}
          >
            {t('screening.consentReceived')}
          </Button>
        )}
        {row.status !== 'opted_out' && row.status !== 'screened' && (
          <Menu position="bottom-end">
            <Menu.Target>
              <Button size="xs" variant="default" aria-label={t('screening.optOutFor', { name })}>
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
    );
  };
  const studentCell = (row: RosterRow) => (
    <>
      <Anchor component={Link} to={`/students/${row.id}`}>
        {givenNameFirst(row.name)}
      </Anchor>{' '}
      <Text span size="sm" c="dimmed">
        {row.localId}
      </Text>
    </>
  );
  const statusCell = (row: RosterRow) => (
    <>
      <StatusBadge status={row.status} />
      {row.reason && (
        <Text size="xs" c="dimmed">
          {row.reason}
        </Text>
      )}
    </>
  );

  return (
    <>
      <Anchor component={Link} to="/screening">
        {t('screening.back')}
      </Anchor>
      <Title order={1} mt="sm" mb="md">
        {dashboard.data?.window.name ?? roster.data?.window.name ?? t('screening.title')}
      </Title>
      {dashboard.data && <WindowFigures data={dashboard.data} />}
      {roster.data && (
        <Card withBorder mt="lg" component="section" aria-labelledby="roster">
          <Title order={2} size="h3" id="roster" mb="sm">
            {t('screening.roster')}
          </Title>
          {held.map((row) => (
            <Alert key={row.id} color="red.9" variant="filled" role="alert" mb="sm" title={t('screening.holdTitle', { name: givenNameFirst(row.name) })}>
              <Text size="sm">{t('screening.hold')}</Text>
              <Button mt="xs" color="dark" size="xs" className="wrap-button" onClick={() => release.mutate(row)} loading={release.isPending}>
                {t('screening.release')}
              </Button>
            </Alert>
          ))}
          {failure && (
            <Alert color="red.9" variant="outline" role="alert" mb="sm" withCloseButton closeButtonLabel={t('app.dismiss')} onClose={() => setFailure(null)}>
              {failure}
            </Alert>
          )}
          {code && (
            <Alert role="status" title={t('screening.codeFor', { name: code.name })} mb="sm">
              <Text ff="monospace" fz={28} fw={700}>
                {code.code}
              </Text>
              <Text size="sm">{t('screening.codeOnce')}</Text>
            </Alert>
          )}
          {notice && (
            <Alert role="status" mb="sm">
              {notice}
            </Alert>
          )}
          <Group mb="sm" gap="xs">
            <Button variant="default" className="wrap-button" onClick={() => notices.mutate()} loading={notices.isPending}>
              {t('screening.sendNotices')}
            </Button>
            <Button variant="default" className="wrap-button" component="a" href={`/api/v1/screening/windows/${id}/notices/print`} target="_blank">
              {t('screening.printNotices')}
            </Button>
          </Group>
          <Text size="sm" mb="sm" style={{ overflowWrap: 'anywhere' }}>
            {t('screening.studentLink', { url: `${window.location.origin}/screen` })}
          </Text>
          <Text size="sm" mb="sm">
            {t('screening.consentPerWindow')}
          </Text>
          <TextInput
            type="search"
            label={t('screening.search')}
            value={search}
            onChange={(event) => {
              setSearch(event.currentTarget.value);
              setLimit(pageSize);
            }}
            mb="xs"
          />
          <Text size="sm" mb="sm" role="status">
            {matching.length === 0 && wanted
              ? t('screening.noMatch', { query: search.trim() })
              : t('screening.showing', { shown: shown.length, total: students.length })}
          </Text>
          {wide ? (
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
                {shown.map((row) => (
                  <Table.Tr key={row.id} data-student={row.id}>
                    <Table.Th scope="row">{studentCell(row)}</Table.Th>
                    <Table.Td>{row.grade}</Table.Td>
                    <Table.Td>{statusCell(row)}</Table.Td>
                    <Table.Td>{actionsFor(row)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('screening.roster')}>
              {shown.map((row) => (
                <Card key={row.id} component="li" withBorder padding="sm" data-student={row.id}>
                  <Text fw={600}>{studentCell(row)}</Text>
                  <Text size="sm" mb={4}>
                    {t('screening.grade')} {row.grade}
                  </Text>
                  {statusCell(row)}
                  <div style={{ marginTop: 8 }}>{actionsFor(row)}</div>
                </Card>
              ))}
            </Stack>
          )}
          {matching.length > shown.length && (
            <Button variant="default" mt="sm" onClick={() => setLimit(limit + pageSize)}>
              {t('screening.showMore', { count: Math.min(pageSize, matching.length - shown.length) })}
            </Button>
          )}
        </Card>
      )}
    </>
  );
}

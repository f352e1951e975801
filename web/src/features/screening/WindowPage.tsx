import { Alert, Anchor, Button, Card, Checkbox, Group, Menu, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { IssuedCode, NoticesSent, WindowRoster as Roster } from '../../../../src/features/screening/screening.schema';
import { api } from '../../api';
import { useSession } from '../../session';
import { useInstrumentNames } from '../../ui/labels';
import { useWide } from '../../ui/useWide';
import { BulkBar, type Mark, useMarks } from './BulkMarks';
import { ClassCodesSheet, type CodeSheet, type SheetLayout } from './ClassCodesSheet';
import { eligibilityText } from './eligibilityWords';
import { MyClassesCard } from './MyClassesCard';
import { ProctorsCard } from './ProctorsCard';
import { folded, givenNameFirst, StatusBadge } from './RosterStatus';
import { type Dashboard, WindowFigures } from './WindowFigures';

type RosterRow = Roster['students'][number];

/** The roster shows this many students at a time; the search finds anyone at once. */
const pageSize = 100;

/**
 * One window: its figures per school, and the roster a proctor works from (codes, absences,
 * consent). Consent and opt-outs recorded here are for this window; an opt-out may cover the
 * whole school year (decision 20).
 */
export function WindowPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const instruments = useInstrumentNames();
  const wide = useWide();
  const queryClient = useQueryClient();
  const { me } = useSession();
  const runsScreening = Boolean(me?.abilities.manageScreening);
  // Counts are for those who run or report on screening; a proctor's page is the roster alone
  // (never asked for: the server would answer a teacher with a 404).
  const dashboard = useQuery({
    queryKey: ['screening', 'dashboard', id],
    queryFn: () => api<Dashboard>('GET', `/api/v1/screening/windows/${id}/dashboard`),
    retry: false,
    enabled: Boolean(me?.abilities.screeningDashboard),
  });
  const roster = useQuery({ queryKey: ['screening', 'roster', id], queryFn: () => api<Roster>('GET', `/api/v1/screening/windows/${id}/roster`), retry: false });
  const [code, setCode] = useState<{ name: string; code: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [limit, setLimit] = useState(pageSize);
  const [classId, setClassId] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [sheet, setSheet] = useState<{ data: CodeSheet; layout: SheetLayout } | null>(null);
  // The codes printed on this visit, per class: printing the class again, in either layout, shows
  // these (a new request would give new codes and the sheet already printed would stop working).
  const [printed, setPrinted] = useState<ReadonlyMap<string, CodeSheet>>(new Map());
  // A class whose codes were printed before this visit: new codes only once the proctor confirms.
  const [reprinting, setReprinting] = useState<{ classId: string; layout: SheetLayout } | null>(null);
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
      api<IssuedCode>('POST', `/api/v1/screening/windows/${id}/codes`, { studentId: row.id }).then((r) => ({
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
  const students = roster.data?.students ?? [];
  const nameOf = (studentId: string) => givenNameFirst(students.find((row) => row.id === studentId)?.name ?? '');
  // Consent forms, refusals and absences: one student or several, the same way (each audited).
  const marks = useMarks(id, nameOf, () => {
    setSelected(new Set());
    refresh();
  });
  const mark = (studentIds: string[], which: Mark) => marks.mutation.mutate({ studentIds, mark: which }, { onError: failed });
  const marking = (row: RosterRow, which: Mark) =>
    marks.mutation.isPending && marks.mutation.variables?.mark === which && marks.mutation.variables.studentIds.includes(row.id);
  // A whole school year's opt-out is for those who run screening (recorded on the student).
  const optOutYear = useMutation({
    mutationFn: (row: RosterRow) => api('POST', `/api/v1/students/${row.id}/screening-consents`, { kind: 'opt_out', source: 'paper', scope: 'school_year' }),
    onSuccess: refresh,
    onError: failed,
  });
  const print = useMutation({
    mutationFn: (input: { classId: string; layout: SheetLayout }) =>
      api<CodeSheet>('POST', `/api/v1/screening/windows/${id}/classes/${input.classId}/codes`).then((data) => ({ data, layout: input.layout })),
    onSuccess: (issued) => {
      setSheet(issued);
      setPrinted((before) => new Map(before).set(issued.data.class.id, issued.data));
      setReprinting(null);
      refresh();
    },
    onError: failed,
  });
  const notices = useMutation({
    mutationFn: () => api<NoticesSent>('POST', `/api/v1/screening/windows/${id}/notices`),
    onSuccess: (r) => {
      setFailure(null);
      setNotice(t('screening.noticesSent', { emailed: r.emailed, print: r.needPrintedLetter }));
    },
    onError: failed,
  });
  const printCodes = (input: { classId: string; layout: SheetLayout }) => {
    const kept = printed.get(input.classId);
    if (kept) setSheet({ data: kept, layout: input.layout });
    else if (students.some((row) => row.classIds.includes(input.classId) && row.status === 'issued')) setReprinting(input);
    else print.mutate(input);
  };
  const held = students.filter((row) => row.heldSessionId);
  const myClasses = roster.data?.classes ?? [];
  const inClass = classId ? students.filter((row) => row.classIds.includes(classId)) : students;
  const wanted = folded(search.trim());
  const matching = wanted ? inClass.filter((row) => [row.name, givenNameFirst(row.name), row.localId].some((text) => folded(text).includes(wanted))) : inClass;
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
        {row.status !== 'screened' && row.status !== 'absent' && row.status !== 'declined' && row.status !== 'started' && (
          <Button
            size="xs"
            variant="default"
            onClick={() => mark([row.id], 'absent')}
            loading={marking(row, 'absent')}
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
            onClick={() => mark([row.id], 'consent_received')}
            loading={marking(row, 'consent_received')}
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
              <Menu.Item onClick={() => mark([row.id], 'consent_refused')}>{t('screening.optOutWindow')}</Menu.Item>
              {runsScreening && <Menu.Item onClick={() => optOutYear.mutate(row)}>{t('screening.optOutYear')}</Menu.Item>}
            </Menu.Dropdown>
          </Menu>
        )}
      </Group>
    );
  };
  const toggle = (rowId: string) =>
    setSelected((before) => {
      const next = new Set(before);
      if (!next.delete(rowId)) next.add(rowId);
      return next;
    });
  const allShown = shown.length > 0 && shown.every((row) => selected.has(row.id));
  const selectAll = () => setSelected(allShown ? new Set() : new Set([...selected, ...shown.map((row) => row.id)]));
  const selectCell = (row: RosterRow) => (
    <Checkbox
      aria-label={t('screening.proctoring.select', { name: givenNameFirst(row.name) })}
      checked={selected.has(row.id)}
      onChange={() => toggle(row.id)}
    />
  );
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
  const statusCell = (row: RosterRow) => {
    const why = eligibilityText(t, row, i18n.language, instruments.name);
    return (
      <>
        <StatusBadge status={row.status} />
        {why && (
          <Text size="xs" c="dimmed">
            {why}
          </Text>
        )}
      </>
    );
  };

  return (
    <>
      <Anchor component={Link} to="/screening">
        {t('screening.back')}
      </Anchor>
      <Title order={1} mt="sm" mb="md">
        {dashboard.data?.window.name ?? roster.data?.window.name ?? t('screening.title')}
      </Title>
      {dashboard.data && <WindowFigures data={dashboard.data} />}
      {runsScreening && <ProctorsCard windowId={id} />}
      {roster.data && myClasses.length > 0 && (
        <MyClassesCard
          classes={myClasses}
          onPrint={printCodes}
          printing={print.isPending ? (print.variables ?? null) : null}
          reprinting={reprinting}
          onReprint={(input) => print.mutate(input)}
          onKeep={() => setReprinting(null)}
        />
      )}
      {roster.data && !runsScreening && myClasses.length === 0 && (
        <Alert mt="lg" role="status">
          {t('screening.proctoring.noClasses')}
        </Alert>
      )}
      {sheet && (
        <div style={{ marginTop: 16 }}>
          <ClassCodesSheet key={`${sheet.data.class.id}-${sheet.layout}`} sheet={sheet.data} initialLayout={sheet.layout} onClose={() => setSheet(null)} />
        </div>
      )}
      {roster.data && (
        // Visible overflow: a Card clips by default, which would keep the marks bar from sticking to the screen.
        <Card withBorder mt="lg" component="section" aria-labelledby="roster" style={{ overflow: 'visible' }}>
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
          {runsScreening && (
            <Group mb="sm" gap="xs">
              <Button variant="default" className="wrap-button" onClick={() => notices.mutate()} loading={notices.isPending}>
                {t('screening.sendNotices')}
              </Button>
              <Button variant="default" className="wrap-button" component="a" href={`/api/v1/screening/windows/${id}/notices/print`} target="_blank">
                {t('screening.printNotices')}
              </Button>
            </Group>
          )}
          <Text size="sm" mb="sm" style={{ overflowWrap: 'anywhere' }}>
            {t('screening.studentLink', { url: `${window.location.origin}/screen` })}
          </Text>
          <Text size="sm" mb="sm">
            {t('screening.consentPerWindow')}
          </Text>
          {myClasses.length > 1 && (
            <Select
              label={t('screening.proctoring.classFilter')}
              data={[{ value: '', label: t('screening.proctoring.allClasses') }, ...myClasses.map((c) => ({ value: c.id, label: c.title }))]}
              value={classId}
              onChange={(value) => {
                setClassId(value ?? '');
                setLimit(pageSize);
              }}
              allowDeselect={false}
              mb="xs"
              maw={360}
            />
          )}
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
              : t('screening.showing', { shown: shown.length, total: inClass.length })}
          </Text>
          {marks.outcome && (
            <Alert role="status" mb="sm" withCloseButton closeButtonLabel={t('app.dismiss')} onClose={marks.clear}>
              {marks.outcome}
            </Alert>
          )}
          {wide ? (
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">
                    <Checkbox aria-label={t('screening.proctoring.selectShown')} checked={allShown} onChange={selectAll} />
                  </Table.Th>
                  <Table.Th scope="col">{t('screening.student')}</Table.Th>
                  <Table.Th scope="col">{t('screening.grade')}</Table.Th>
                  <Table.Th scope="col">{t('screening.status')}</Table.Th>
                  <Table.Th scope="col">{t('screening.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((row) => (
                  <Table.Tr key={row.id} data-student={row.id}>
                    <Table.Td>{selectCell(row)}</Table.Td>
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
                  <Group gap="xs" wrap="nowrap" align="flex-start">
                    {selectCell(row)}
                    <Text fw={600}>{studentCell(row)}</Text>
                  </Group>
                  <Text size="sm" mb={4}>
                    {t('screening.grade')} {row.grade}
                  </Text>
                  {statusCell(row)}
                  <div style={{ marginTop: 8 }}>{actionsFor(row)}</div>
                </Card>
              ))}
            </Stack>
          )}
          <BulkBar
            count={selected.size}
            pending={marks.mutation.isPending && (marks.mutation.variables?.studentIds.length ?? 0) > 1 ? (marks.mutation.variables?.mark ?? null) : null}
            onMark={(which) => mark([...selected], which)}
            onClear={() => setSelected(new Set())}
          />
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

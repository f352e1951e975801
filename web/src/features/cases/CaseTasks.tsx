import { Alert, Badge, Button, Card, Group, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StudentList } from '../../../../src/features/students/students.schema';
import { api } from '../../api';
import { useWhen } from '../../ui/dates';
import type { CaseView } from './CasePage';
import { doneTaskTitle, taskTitle } from './caseWords';

/** Finds a student by name or number and puts them on the case. */
export function IdentifyStudent({ caseId, onDone }: { caseId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const found = useQuery({
    queryKey: ['students', 'find', search],
    queryFn: () => api<StudentList>('GET', `/api/v1/students?q=${encodeURIComponent(search)}&pageSize=5`),
    enabled: search.length > 1,
  });
  const link = useMutation({ mutationFn: (studentId: string) => api('POST', `/api/v1/cases/${caseId}/students`, { studentId }), onSuccess: onDone });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(q.trim());
  };
  return (
    <Stack gap="xs" mt="sm">
      <form onSubmit={submit}>
        <Group align="flex-end">
          <TextInput label={t('cases.identify')} value={q} onChange={(e) => setQ(e.currentTarget.value)} />
          <Button type="submit" variant="default">
            {t('cases.find')}
          </Button>
        </Group>
      </form>
      {found.data?.items.map((s) => (
        <Group key={s.id} gap="xs">
          <Text size="sm">
            {s.firstName} {s.lastName} · {s.localId} · {s.schoolName}
          </Text>
          <Button size="xs" onClick={() => link.mutate(s.id)} aria-label={t('cases.thisIs', { name: `${s.firstName} ${s.lastName}` })}>
            {t('cases.thisStudent')}
          </Button>
        </Group>
      ))}
      {link.error && <Alert color="red">{link.error.message}</Alert>}
    </Stack>
  );
}

/** Duties done by recording the thing itself (the notice, the report), never by ticking the task. */
const dutyKinds = new Set(['mandatory_report', 'guardian_notice']);

/** How many of the open check-ins show before "Show all": the next two are what a counselor plans around. */
const nextCheckInsShown = 2;

/**
 * The open check-ins after the next two of each case, folded away: a re-entry plan makes ten,
 * through day 90, and listing them all buries the one due this week. Done check-ins always show
 * (they are the record); `tasks` come in due order.
 */
export function foldedCheckIns(tasks: readonly { id: string; kind: string; doneAt?: string | null; caseId?: string }[]): Set<string> {
  const seen = new Map<string, number>();
  const folded = new Set<string>();
  for (const task of tasks) {
    if (task.kind !== 'check_in' || task.doneAt) continue;
    const count = (seen.get(task.caseId ?? '') ?? 0) + 1;
    seen.set(task.caseId ?? '', count);
    if (count > nextCheckInsShown) folded.add(task.id);
  }
  return folded;
}

/**
 * Tasks with owners and due times (entered and shown on the district's clock); done with a note.
 * A done task reads as done, with who and when; only open ones read as something to do. A duty
 * with a hard deadline shows the deadline, and is "due now" until it passes, then overdue.
 */
export function TasksCard({ view, onDone }: { view: CaseView; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const { when } = useWhen();
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const [allCheckIns, setAllCheckIns] = useState(false);
  const add = useMutation({
    mutationFn: () => api('POST', `/api/v1/cases/${view.id}/tasks`, { title, due }),
    onSuccess: () => {
      setTitle('');
      onDone();
    },
  });
  const done = useMutation({ mutationFn: (taskId: string) => api('POST', `/api/v1/cases/${view.id}/tasks/${taskId}/done`, {}), onSuccess: onDone });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  const folded = foldedCheckIns(view.tasks);
  const shown = allCheckIns ? view.tasks : view.tasks.filter((task) => !folded.has(task.id));
  const checkIns = view.tasks.filter((task) => task.kind === 'check_in').length;
  return (
    <Card withBorder component="section" aria-labelledby="case-tasks">
      <Title order={2} size="h4" id="case-tasks" mb="xs" tabIndex={-1}>
        {t('cases.tasks')}
      </Title>
      <List spacing="xs" id="case-task-list">
        {shown.map((task) => (
          <List.Item key={task.id}>
            <Text size="sm">
              {task.state === 'done' && (
                <Badge mr="xs" color="#1b5e20" variant="outline">
                  {t('cases.done')}
                </Badge>
              )}
              {task.state === 'done' ? doneTaskTitle(t, task, i18n.language) : taskTitle(t, task, i18n.language)} ·{' '}
              {task.state === 'done' && task.doneAt
                ? task.doneBy
                  ? t('cases.doneBy', { when: when(task.doneAt), who: task.doneBy })
                  : t('cases.doneOn', { when: when(task.doneAt) })
                : `${task.owner ?? '—'} · ${
                    task.hardDeadlineAt ? t('cases.deadlineAt', { when: when(task.hardDeadlineAt) }) : t('cases.due', { when: when(task.dueAt) })
                  }`}
              {task.state === 'due' && (
                <Badge ml="xs" color="#8a4b00" variant="outline">
                  {t('cases.dueNow')}
                </Badge>
              )}
              {task.state === 'cancelled' && (
                <Badge ml="xs" color="gray.8" variant="outline">
                  {t('caseSummary.taskCancelled')}
                </Badge>
              )}
              {task.state === 'overdue' && (
                <Badge ml="xs" color="red.9" variant="outline">
                  {t('reports.overdue')}
                </Badge>
              )}
              {!task.doneAt && !dutyKinds.has(task.kind) && (
                <Button
                  size="compact-xs"
                  variant="default"
                  ml="xs"
                  onClick={() => done.mutate(task.id)}
                  aria-label={t('cases.markDoneTask', { what: taskTitle(t, task, i18n.language) })}
                >
                  {t('cases.markDone')}
                </Button>
              )}
            </Text>
          </List.Item>
        ))}
      </List>
      {folded.size > 0 && (
        <Group mt="xs">
          <Button variant="subtle" size="compact-sm" aria-expanded={allCheckIns} aria-controls="case-task-list" onClick={() => setAllCheckIns(!allCheckIns)}>
            {allCheckIns ? t('cases.checkIns.showFewer') : t('cases.checkIns.showAll', { total: checkIns })}
          </Button>
        </Group>
      )}
      {view.status !== 'closed' && (
        <form onSubmit={submit}>
          <Group align="flex-end" mt="sm">
            <TextInput label={t('cases.newTask')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required />
            <TextInput type="datetime-local" label={t('cases.dueAt')} value={due} onChange={(e) => setDue(e.currentTarget.value)} required />
            <Button type="submit" variant="default">
              {t('cases.addTask')}
            </Button>
          </Group>
        </form>
      )}
      {(add.error ?? done.error) && <Alert color="red">{(add.error ?? done.error)?.message}</Alert>}
    </Card>
  );
}

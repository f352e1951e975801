import { Anchor, Badge, Button, Card, Group, List, Select, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Caseload as Load } from '../../../../src/features/plans/plans.schema';
import { api } from '../../api';
import { useWhen } from '../../ui/dates';
import { dayLabel, useInstrumentNames } from '../../ui/labels';
import { ScrollTable } from '../../ui/ScrollTable';
import { foldedCheckIns } from '../cases/CaseTasks';
import { taskTitle } from '../cases/caseWords';
import { interventionName } from './planWords';

/** My caseload: students on my plans by review date, my open case tasks, and my groups. */
export function CaseloadPage() {
  const { t, i18n } = useTranslation();
  const instruments = useInstrumentNames();
  const { when } = useWhen();
  const load = useQuery({ queryKey: ['caseload'], queryFn: () => api<Load>('GET', '/api/v1/caseload') });
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<string>('review');
  const [allCheckIns, setAllCheckIns] = useState(false);
  if (!load.data) return null;
  // Each case's next two check-ins; the rest of a re-entry plan's ten wait behind "Show all".
  const folded = foldedCheckIns(load.data.tasks);
  const tasks = allCheckIns ? load.data.tasks : load.data.tasks.filter((task) => !folded.has(task.id));
  const checkIns = load.data.tasks.filter((task) => task.kind === 'check_in').length;
  const plans = load.data.plans
    .filter((p) => p.student.toLowerCase().includes(filter.trim().toLowerCase()))
    .sort((a, b) => (sort === 'name' ? a.student.localeCompare(b.student) : sort === 'tier' ? b.tier - a.tier : a.nextReviewOn.localeCompare(b.nextReviewOn)));
  return (
    <>
      <Anchor component={Link} to="/support">
        {t('support.back')}
      </Anchor>
      <Title order={1} mt="sm" mb="md">
        {t('support.caseload')}
      </Title>
      <Group mb="sm" align="flex-end">
        <TextInput label={t('support.filter')} value={filter} onChange={(e) => setFilter(e.currentTarget.value)} />
        <Select
          label={t('support.sort')}
          data={[
            { value: 'review', label: t('plans.nextReview') },
            { value: 'name', label: t('support.student') },
            { value: 'tier', label: t('plans.tier') },
          ]}
          value={sort}
          onChange={(v) => v && setSort(v)}
          allowDeselect={false}
        />
      </Group>
      <ScrollTable label={t('support.plansDue')} minWidth={480}>
        <Table striped>
          <Table.Caption>{t('support.plansDue')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('support.student')}</Table.Th>
              <Table.Th scope="col">{t('plans.tier')}</Table.Th>
              <Table.Th scope="col">{t('plans.nextReview')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plans.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Th scope="row">
                  <Anchor component={Link} to={`/students/${p.studentId}`}>
                    {p.student}
                  </Anchor>
                </Table.Th>
                <Table.Td>{p.tier}</Table.Td>
                <Table.Td>
                  {dayLabel(p.nextReviewOn, i18n.language)}
                  {p.reviewOverdue && (
                    <Badge ml="xs" color="red.9" variant="outline">
                      {t('plans.reviewOverdue')}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <Card withBorder mt="lg" component="section" aria-labelledby="my-tasks">
        <Title order={2} size="h4" id="my-tasks" mb="xs">
          {t('support.tasks')}
        </Title>
        {load.data.tasks.length === 0 && <Text>{t('support.noTasks')}</Text>}
        <List id="my-task-list">
          {tasks.map((task) => (
            <List.Item key={task.id}>
              <Anchor component={Link} to={`/cases/${task.caseId}`} underline="always">
                {[task.students.map((s) => s.name).join(', '), taskTitle(t, task, i18n.language)].filter(Boolean).join(': ')}
              </Anchor>{' '}
              {task.students.length === 0 && <>· {t('cases.notIdentified')} </>}· {when(task.dueAt)}
              {task.overdue && (
                <Badge ml="xs" color="red.9" variant="outline">
                  {t('reports.overdue')}
                </Badge>
              )}
            </List.Item>
          ))}
        </List>
        {folded.size > 0 && (
          <Button
            variant="subtle"
            size="compact-sm"
            mt="xs"
            aria-expanded={allCheckIns}
            aria-controls="my-task-list"
            onClick={() => setAllCheckIns(!allCheckIns)}
          >
            {allCheckIns ? t('cases.checkIns.showFewer') : t('cases.checkIns.showAll', { total: checkIns })}
          </Button>
        )}
      </Card>
      <Card withBorder mt="lg" component="section" aria-labelledby="my-follow-ups">
        <Title order={2} size="h4" id="my-follow-ups" mb="xs">
          {t('screening.followUps')}
        </Title>
        {load.data.followUps.length === 0 && <Text>{t('screening.noFollowUps')}</Text>}
        <List>
          {load.data.followUps.map((f) => (
            <List.Item key={f.id}>
              <Anchor component={Link} to={`/students/${f.studentId}`} underline="always">
                {f.student}
              </Anchor>{' '}
              · {instruments.name(f.instrumentId)} {f.band ? t(`bands.${f.band}`, { defaultValue: '' }) : ''} · {t('screening.due')}{' '}
              {dayLabel(f.dueOn, i18n.language)}
              {f.overdue && (
                <Badge ml="xs" color="red.9" variant="outline">
                  {t('reports.overdue')}
                </Badge>
              )}
            </List.Item>
          ))}
        </List>
      </Card>
      <Card withBorder mt="lg" component="section" aria-labelledby="my-groups">
        <Title order={2} size="h4" id="my-groups" mb="xs">
          {t('support.groups')}
        </Title>
        <List>
          {load.data.groups.map((g) => (
            <List.Item key={g.code}>
              <strong>{interventionName(t, g)}</strong>: {g.members.join(', ')}
            </List.Item>
          ))}
        </List>
      </Card>
    </>
  );
}

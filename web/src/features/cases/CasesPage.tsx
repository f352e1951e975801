import { Alert, Anchor, Badge, Button, Card, Checkbox, Group, SegmentedControl, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { caseTypes } from '../../../../src/data/cases.values';
import type { CaseList } from '../../../../src/features/cases/case-view.schema';
import type { CaseOpened } from '../../../../src/features/cases/cases.schema';
import { api } from '../../api';
import { useSession } from '../../session';
import { useWhen } from '../../ui/dates';

const filters = ['school', 'mine', 'overdue', 'closed'] as const;

/** The crisis team's cases: my school's, mine, overdue, closed; and opening one directly. */
export function CasesPage() {
  const { t } = useTranslation();
  const { on } = useWhen();
  const [params, setParams] = useSearchParams();
  const filter = (filters as readonly string[]).includes(params.get('filter') ?? '') ? (params.get('filter') as (typeof filters)[number]) : 'school';
  const list = useQuery({ queryKey: ['cases', filter], queryFn: () => api<CaseList>('GET', `/api/v1/cases?filter=${filter}`) });
  return (
    <>
      <Title order={1} mb="md">
        {t('cases.title')}
      </Title>
      <SegmentedControl
        aria-label={t('cases.filter')}
        value={filter}
        onChange={(value) => setParams({ filter: value })}
        data={filters.map((f) => ({ value: f, label: t(`cases.filters.${f}`) }))}
        mb="md"
      />
      {list.error && <Alert color="red">{list.error.message}</Alert>}
      {list.data && list.data.length === 0 && <Text>{t('cases.none')}</Text>}
      {list.data && list.data.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('cases.case')}</Table.Th>
                <Table.Th scope="col">{t('cases.status')}</Table.Th>
                <Table.Th scope="col">{t('cases.students')}</Table.Th>
                <Table.Th scope="col">{t('cases.opened')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Th scope="row">
                    <Anchor component={Link} to={`/cases/${c.id}`}>
                      {t(`caseTypes.${c.type}`)}
                    </Anchor>
                    <Text size="sm" c="dimmed">
                      {c.summary}
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    {t(`caseStatuses.${c.status}`)}
                    {c.overdue && (
                      <Badge ml="xs" color="red.9" variant="outline">
                        {t('reports.overdue')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{c.students.join(', ') || t('cases.notIdentified')}</Table.Td>
                  <Table.Td>
                    {on(c.openedAt)} · {c.school ?? t('reports.districtLevel')}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <OpenCaseCard />
    </>
  );
}

function OpenCaseCard() {
  const { t } = useTranslation();
  const { me } = useSession();
  const navigate = useNavigate();
  const [type, setType] = useState<string>('suicide_risk');
  const [summary, setSummary] = useState('');
  const [schoolId, setSchoolId] = useState<string | null>(me?.schools[0]?.id ?? null);
  const [abuse, setAbuse] = useState(false);
  const open = useMutation({
    mutationFn: () => api<CaseOpened>('POST', '/api/v1/cases', { type, summary, schoolId: schoolId ?? undefined, abuseSuspected: abuse }),
    onSuccess: (created) => navigate(`/cases/${created.id}`),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    open.mutate();
  };
  return (
    <Card withBorder mt="xl" component="section" aria-labelledby="open-case">
      <Title order={2} size="h3" id="open-case" mb="sm">
        {t('cases.open')}
      </Title>
      <form onSubmit={submit}>
        <Stack gap="sm" maw={560}>
          <Select
            label={t('cases.type')}
            data={caseTypes.map((c) => ({ value: c, label: t(`caseTypes.${c}`) }))}
            value={type}
            onChange={(v) => v && setType(v)}
            allowDeselect={false}
          />
          <Textarea label={t('cases.summary')} value={summary} onChange={(e) => setSummary(e.currentTarget.value)} required autosize minRows={2} />
          <Select label={t('cases.school')} data={(me?.schools ?? []).map((s) => ({ value: s.id, label: s.name }))} value={schoolId} onChange={setSchoolId} />
          <Checkbox label={t('cases.abuseSuspected')} checked={abuse} onChange={(e) => setAbuse(e.currentTarget.checked)} />
          {open.error && (
            <Alert color="red" role="alert">
              {open.error.message}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={open.isPending}>
              {t('cases.openButton')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

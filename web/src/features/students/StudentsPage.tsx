import { Alert, Anchor, Badge, Button, Group, Pagination, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { StudentList } from '../../../../src/features/students/students.schema';
import { api } from '../../api';
import { useSession } from '../../session';
import { gradeLabel } from '../../ui/labels';

/** Search the students the person works with; the query lives in the URL so Back works. */
export function StudentsPage() {
  const { t } = useTranslation();
  const { schoolId } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const [draft, setDraft] = useState(q);
  const query = useQuery({
    queryKey: ['students', q, page, schoolId],
    queryFn: () => {
      const search = new URLSearchParams({ page: String(page), pageSize: '25' });
      if (q) search.set('q', q);
      if (schoolId) search.set('school', schoolId);
      return api<StudentList>('GET', `/api/v1/students?${search}`);
    },
    placeholderData: keepPreviousData,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParams(draft.trim() ? { q: draft.trim() } : {});
  };
  const pages = query.data ? Math.max(1, Math.ceil(query.data.total / query.data.pageSize)) : 1;

  return (
    <>
      <Title order={1} mb="md">
        {t('students.title')}
      </Title>
      <search>
        <form onSubmit={submit}>
          <Group align="end">
            <TextInput label={t('students.search')} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} w={360} maxLength={100} />
            <Button type="submit">{t('students.searchButton')}</Button>
          </Group>
        </form>
      </search>
      {query.error && (
        <Alert color="red" role="alert" mt="md">
          {query.error.message}
        </Alert>
      )}
      {query.data && (
        <>
          <Text mt="md" role="status" aria-live="polite">
            {t('students.results', { count: query.data.total })}
          </Text>
          {query.data.items.length === 0 ? (
            <Text mt="sm">{t('students.none')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={560} mt="sm">
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('students.name')}</Table.Th>
                    <Table.Th scope="col">{t('students.number')}</Table.Th>
                    <Table.Th scope="col">{t('students.grade')}</Table.Th>
                    <Table.Th scope="col">{t('students.school')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {query.data.items.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/students/${s.id}`}>
                          {s.lastName}, {s.preferredName ?? s.firstName}
                        </Anchor>
                        {!s.active && (
                          <Badge ml="xs" color="gray" variant="outline">
                            {t('students.inactive')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>{s.localId}</Table.Td>
                      <Table.Td>{gradeLabel(t, s.grade)}</Table.Td>
                      <Table.Td>{s.schoolName}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {pages > 1 && (
            <nav aria-label={t('students.page')}>
              <Pagination
                mt="md"
                total={pages}
                value={page}
                onChange={(next) => setParams({ ...(q ? { q } : {}), page: String(next) })}
                getControlProps={(control) => ({ 'aria-label': t(`students.${control}Page`) })}
              />
            </nav>
          )}
        </>
      )}
    </>
  );
}

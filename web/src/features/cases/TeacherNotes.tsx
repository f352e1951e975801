import { Alert, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';

type Note = { returnDate: string; teacherSummary: string; since: string };

/** What an open re-entry plan asks of the people who teach this student; never clinical detail. */
export function TeacherNotes({ studentId }: { studentId: string }) {
  const { t } = useTranslation();
  const notes = useQuery({
    queryKey: ['teacher-notes', studentId],
    queryFn: () => api<Note[]>('GET', `/api/v1/students/${studentId}/teacher-notes`),
    retry: false,
  });
  if (!notes.data || notes.data.length === 0) return null;
  return (
    <>
      {notes.data.map((n) => (
        <Alert key={n.since} variant="outline" color="blue.8" title={t('cases.teacherNote', { date: n.returnDate })} mt="md">
          <Text>{n.teacherSummary}</Text>
        </Alert>
      ))}
    </>
  );
}

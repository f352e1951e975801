import { Alert, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TeacherNoteList } from '../../../../src/features/cases/cases.schema';
import { api } from '../../api';

/** `returnDate` is the return to school for a re-entry plan, and the day a support plan started. */

/** A calendar day (YYYY-MM-DD) in the reader's language, without a time zone shifting it. */
const longDay = (day: string, language: string) => new Date(`${day}T12:00:00Z`).toLocaleDateString(language, { dateStyle: 'long', timeZone: 'UTC' });

/**
 * What plans ask of the people who teach this student, never clinical detail: a re-entry plan's
 * summary (only for staff who need to know; the server decides) and a support plan's asks, each
 * labelled as what it is. Nothing at all (or a 404) shows nothing.
 */
export function TeacherNotes({ studentId }: { studentId: string }) {
  const { t, i18n } = useTranslation();
  const notes = useQuery({
    queryKey: ['teacher-notes', studentId],
    queryFn: () => api<TeacherNoteList>('GET', `/api/v1/students/${studentId}/teacher-notes`),
    retry: false,
  });
  if (!notes.data || notes.data.length === 0) return null;
  return (
    <>
      {notes.data.map((n) => (
        <Alert
          key={`${n.kind}-${n.since}`}
          variant="outline"
          color="blue.8"
          title={t(n.kind === 'reentry' ? 'cases.teacherNoteReentry' : 'cases.teacherNoteSupport', { date: longDay(n.returnDate, i18n.language) })}
          mt="md"
        >
          <Text>{n.teacherSummary}</Text>
        </Alert>
      ))}
    </>
  );
}

import { Alert, Button, Card, Group, MultiSelect, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WindowProctors as Proctors } from '../../../../src/features/screening/screening.schema';
import { api } from '../../api';

/**
 * For those who run the window: each proctor and the classes they are given. A proctor sees the
 * students of these classes only (where each stands, never a result), prints their codes and
 * marks consent forms and absences (decision 31).
 */
export function ProctorsCard({ windowId }: { windowId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = ['screening', 'proctors', windowId];
  const data = useQuery({ queryKey: key, queryFn: () => api<Proctors>('GET', `/api/v1/screening/windows/${windowId}/proctors`), retry: false });
  const [person, setPerson] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (input: { userId: string; classIds: string[] }) =>
      api('PUT', `/api/v1/screening/windows/${windowId}/proctors/${input.userId}`, { classIds: input.classIds }),
    onSuccess: (_result, input) => {
      setSaved(input.userId);
      setPerson(null);
      void queryClient.invalidateQueries({ queryKey: key });
      void queryClient.invalidateQueries({ queryKey: ['screening', 'roster', windowId] });
    },
  });
  if (!data.data) return null;
  const { proctors, classes, people } = data.data;
  const classOptions = classes.map((c) => ({
    value: c.id,
    label: t('screening.proctoring.classLabel', { title: c.title, count: c.students, school: c.school }),
  }));
  const nameOf = (p: { userId: string; name: string | null }) => p.name ?? t('screening.proctoring.noLongerHere');
  const classesOf = (userId: string, current: string[]) => chosen[userId] ?? current;
  const choose = (userId: string) => (value: string[]) => {
    setSaved(null);
    setChosen({ ...chosen, [userId]: value });
  };
  const newcomers = people.filter((p) => !proctors.some((q) => q.userId === p.userId)).map((p) => ({ value: p.userId, label: p.name }));
  return (
    <Card withBorder mt="lg" component="section" aria-labelledby="proctors">
      <Title order={2} size="h3" id="proctors" mb="xs">
        {t('screening.proctoring.proctorsTitle')}
      </Title>
      <Text size="sm" mb="sm">
        {t('screening.proctoring.proctorsHelp')}
      </Text>
      {classes.length === 0 && <Alert mb="sm">{t('screening.proctoring.noRosterClasses')}</Alert>}
      {save.error && (
        <Alert color="red.9" variant="outline" role="alert" mb="sm">
          {save.error.message}
        </Alert>
      )}
      <Stack gap="sm">
        {proctors.map((p) => (
          <Group key={p.userId} align="flex-end" gap="xs" wrap="wrap" data-proctor={p.userId}>
            <MultiSelect
              label={t('screening.proctoring.classesFor', { name: nameOf(p) })}
              data={classOptions}
              value={classesOf(p.userId, p.classIds)}
              onChange={choose(p.userId)}
              searchable
              style={{ flex: '1 1 16rem' }}
            />
            <Button
              variant="default"
              onClick={() => save.mutate({ userId: p.userId, classIds: classesOf(p.userId, p.classIds) })}
              loading={save.isPending && save.variables?.userId === p.userId}
              aria-label={t('screening.proctoring.saveFor', { name: nameOf(p) })}
            >
              {t('screening.proctoring.save')}
            </Button>
            {saved === p.userId && (
              <Text size="sm" role="status">
                {t('screening.proctoring.saved')}
              </Text>
            )}
          </Group>
        ))}
        <Group align="flex-end" gap="xs" wrap="wrap">
          <Select label={t('screening.proctoring.addProctor')} data={newcomers} value={person} onChange={setPerson} searchable style={{ flex: '1 1 12rem' }} />
          <MultiSelect
            label={t('screening.proctoring.classes')}
            data={classOptions}
            value={person ? classesOf(person, []) : []}
            onChange={person ? choose(person) : () => undefined}
            disabled={!person}
            searchable
            style={{ flex: '1 1 16rem' }}
          />
          <Button
            onClick={() => person && save.mutate({ userId: person, classIds: classesOf(person, []) })}
            disabled={!person || classesOf(person, []).length === 0}
            loading={save.isPending && save.variables?.userId === person}
          >
            {t('screening.proctoring.add')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

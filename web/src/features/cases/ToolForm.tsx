import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useWhen } from '../../ui/dates';
import { actorWords } from '../../ui/labels';
import type { CaseView } from './CasePage';

/** `onDone` refreshes the case; a promise, when it returns one, settles once the new view has arrived. */
export type ToolProps = { view: CaseView; onDone: () => unknown };

/** A form that posts JSON to the case and shows the server's message when it refuses. */
export function ToolForm({
  view,
  path,
  body,
  onDone,
  submit,
  children,
}: ToolProps & { path: string; body: () => unknown; submit: string; children: ReactNode }) {
  const [saved, setSaved] = useState(false);
  const post = useMutation({
    mutationFn: () => api('POST', `/api/v1/cases/${view.id}/${path}`, body()),
    onSuccess: () => {
      setSaved(true);
      onDone();
    },
  });
  const { t } = useTranslation();
  const send = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    post.mutate();
  };
  return (
    <form onSubmit={send}>
      <Stack gap="sm">
        {children}
        {post.error && (
          <Alert color="red" role="alert">
            {post.error.message}
          </Alert>
        )}
        {saved && <Alert role="status">{t('cases.saved')}</Alert>}
        <Group>
          <Button type="submit" loading={post.isPending} disabled={view.status === 'closed'}>
            {submit}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function Latest({ view, kind }: { view: CaseView; kind: string }) {
  const { t } = useTranslation();
  const { when } = useWhen();
  const records = view.records.filter((r) => r.kind === kind);
  const last = records.at(-1);
  if (!last) return null;
  return (
    <Text size="sm" c="dimmed">
      {t('cases.lastRecorded', { version: last.version, who: actorWords(t, last.createdBy), when: when(last.createdAt) })}
    </Text>
  );
}

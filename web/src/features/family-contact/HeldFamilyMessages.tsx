import { Alert, Badge, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HeldMessages as Held } from '../../../../src/features/family-contact/family-contact.schema';
import { api } from '../../api';
import { useWhen } from '../../ui/dates';

/**
 * E-mails and letters to the guardians that Haven held while a concern of abuse names the
 * household. A counselor reads each and decides, with a reason kept in the access log. Shown only
 * when there is something held (the request 404s for people who may not decide).
 */
export function HeldFamilyMessages({ studentId }: { studentId: string }) {
  const { t } = useTranslation();
  const { when } = useWhen();
  const queryClient = useQueryClient();
  const held = useQuery({
    queryKey: ['held-family-messages', studentId],
    queryFn: () => api<Held>('GET', `/api/v1/students/${studentId}/held-family-messages`),
    retry: false,
  });
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  if (!held.data || held.data.items.length === 0) return null;
  const decide = async (id: string, send: boolean) => {
    try {
      setError(null);
      await api('POST', `/api/v1/held-family-messages/${id}/decision`, { send, reason: reasons[id] ?? '' });
      await queryClient.invalidateQueries({ queryKey: ['held-family-messages', studentId] });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : t('errors.generic'));
    }
  };
  return (
    <Card withBorder component="section" aria-labelledby="held-family-heading" mt="md">
      <Title order={2} size="h3" id="held-family-heading">
        {t('familyContact.title')}
      </Title>
      <Text size="sm" mb="sm">
        {held.data.stillHeld ? t('familyContact.whyHeld') : t('familyContact.noLongerHeld')}
      </Text>
      {error && (
        <Alert color="red" role="alert" mb="sm">
          {error}
        </Alert>
      )}
      <Stack>
        {held.data.items.map((m) => (
          <Card key={m.id} withBorder component="article" aria-label={m.subject}>
            <Group justify="space-between">
              <Text fw={700}>{t(`familyContact.kinds.${m.kind}`)}</Text>
              {m.decision && <Badge color={m.decision === 'sent' ? '#1e6b34' : 'gray.8'}>{t(`familyContact.decisions.${m.decision}`)}</Badge>}
            </Group>
            <Text size="sm">
              {t('familyContact.to', { to: m.to })} · {when(m.heldAt)}
            </Text>
            <Text size="sm" fw={600} mt="xs">
              {m.subject}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {m.text}
            </Text>
            {m.decision ? (
              <Text size="sm" mt="xs">
                {t('familyContact.reason')}: {m.reason}
              </Text>
            ) : (
              <Stack gap="xs" mt="xs">
                <Textarea
                  label={t('familyContact.reasonLabel')}
                  required
                  minRows={2}
                  value={reasons[m.id] ?? ''}
                  onChange={(e) => setReasons({ ...reasons, [m.id]: e.currentTarget.value })}
                />
                <Group>
                  <Button onClick={() => decide(m.id, true)}>{t('familyContact.send')}</Button>
                  <Button variant="default" onClick={() => decide(m.id, false)}>
                    {t('familyContact.withhold')}
                  </Button>
                </Group>
              </Stack>
            )}
          </Card>
        ))}
      </Stack>
    </Card>
  );
}

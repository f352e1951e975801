import { Alert, Button, Card, Fieldset, Group, MultiSelect, NumberInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EscalationSettings as Settings } from '../../../../src/features/crisis-teams/crisis-teams.schema';
import { api } from '../../api';

const urgencies = ['life_safety', 'urgent', 'routine'] as const;
/** Who each of the four waits is for, in the order the chain climbs. */
const steps = ['primary', 'secondary', 'administrator', 'district'] as const;

/**
 * District administrators set how long each step of the chain waits, per urgency, the school hours,
 * and who takes the alerts that escalate around the clock outside them (required).
 */
export function EscalationSettingsCard({ members }: { members: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['escalation-settings'], queryFn: () => api<Settings>('GET', '/api/v1/escalation-settings') });
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Settings | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (query.data) setDraft(query.data);
  }, [query.data]);
  if (!draft) return null;
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('PUT', '/api/v1/escalation-settings', draft);
      setMessage({ ok: true, text: t('teams.saved') });
      await queryClient.invalidateQueries({ queryKey: ['crisis-teams'] });
    } catch (caught) {
      setMessage({ ok: false, text: caught instanceof Error ? caught.message : t('errors.generic') });
    }
  };
  const setWait = (urgency: (typeof urgencies)[number], index: number, value: number) =>
    setDraft({ ...draft, waitMinutes: { ...draft.waitMinutes, [urgency]: draft.waitMinutes[urgency].map((w, i) => (i === index ? value : w)) } });
  return (
    <Card withBorder component="section" aria-labelledby="escalation-heading">
      <Title order={2} size="h3" id="escalation-heading">
        {t('teams.escalation')}
      </Title>
      <form onSubmit={save}>
        <Stack mt="xs">
          {message && (
            <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>
              {message.text}
            </Alert>
          )}
          <Text size="sm">{t('teams.aroundTheClock')}</Text>
          {urgencies.map((urgency) => (
            <Fieldset key={urgency} legend={t(`urgencies.${urgency}`)} variant="unstyled">
              <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
                {draft.waitMinutes[urgency].map((wait, index) => (
                  <NumberInput
                    // biome-ignore lint/suspicious/noArrayIndexKey: the four steps are fixed positions
                    key={index}
                    label={t('teams.stepWait', { n: index + 1, who: t(`teams.stepNames.${steps[index] ?? 'district'}`) })}
                    aria-label={`${t(`urgencies.${urgency}`)}: ${t('teams.stepWait', { n: index + 1, who: t(`teams.stepNames.${steps[index] ?? 'district'}`) })}`}
                    value={wait}
                    min={1}
                    max={1440}
                    onChange={(v) => setWait(urgency, index, Number(v) || 1)}
                  />
                ))}
              </SimpleGrid>
            </Fieldset>
          ))}
          <Fieldset legend={t('teams.schoolHours')} variant="unstyled">
            <Text size="sm" mb="xs">
              {t('teams.hoursHelp')}
            </Text>
            <Group align="end">
              <TextInput
                label={t('teams.from')}
                type="time"
                value={draft.hoursStart}
                onChange={(e) => setDraft({ ...draft, hoursStart: e.currentTarget.value })}
              />
              <TextInput label={t('teams.to')} type="time" value={draft.hoursEnd} onChange={(e) => setDraft({ ...draft, hoursEnd: e.currentTarget.value })} />
            </Group>
          </Fieldset>
          <MultiSelect
            label={t('teams.afterHours')}
            description={t('teams.afterHoursHelp')}
            data={members}
            value={draft.afterHoursMemberIds}
            onChange={(ids) => setDraft({ ...draft, afterHoursMemberIds: ids })}
            required
            searchable
          />
          <Button type="submit" w="fit-content">
            {t('teams.save')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}

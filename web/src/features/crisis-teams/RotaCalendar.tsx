import { Alert, Badge, Box, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamRota } from '../../../../src/features/crisis-teams/crisis-teams.schema';
import { api } from '../../api';
import { timeZoneName } from '../../ui/labels';

type Segment = TeamRota['days'][number]['segments'][number];
type Cover = NonNullable<Segment['primary']>;

/** A calendar day in the reader's language ("Tuesday, Dec 1"), with no time-zone shift. */
function dayName(day: string, language: string, options: Intl.DateTimeFormatOptions) {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, 12)).toLocaleDateString(language, { ...options, timeZone: 'UTC' });
}

/**
 * The team's on-call cover as a week on the calendar, in the district's time zone (the server
 * cuts the days; see rota.rules.ts): days as columns on a wide screen, a list of days on a phone.
 * A gap with nobody on call is said in words and marked, never by colour alone; so is an override.
 */
export function RotaCalendar({ teamId, teamName }: { teamId: string; teamName: string }) {
  const { t, i18n } = useTranslation();
  const [week, setWeek] = useState<string | null>(null);
  const rota = useQuery({
    queryKey: ['crisis-teams', teamId, 'rota', week ?? 'this'],
    queryFn: () => api<TeamRota>('GET', `/api/v1/crisis-teams/${teamId}/rota${week ? `?week=${week}` : ''}`),
    placeholderData: keepPreviousData,
  });
  const headingId = `rota-${teamId}`;
  if (rota.error) return <Alert color="red">{rota.error.message}</Alert>;
  if (!rota.data) return <Text>{t('app.loading')}</Text>;
  const data = rota.data;
  const nameOf = (id: string) => data.members.find((m) => m.id === id)?.name ?? t('teams.calendar.someone');
  const lastDay = data.days.at(-1)?.date ?? data.weekStart;
  const range = t('teams.calendar.weekOf', {
    from: dayName(data.weekStart, i18n.language, { day: 'numeric', month: 'long' }),
    to: dayName(lastDay, i18n.language, { day: 'numeric', month: 'long', year: 'numeric' }),
  });
  const who = (position: 'primary' | 'secondary', cover: Cover | null) => (
    <Text size="sm">
      {t(position === 'primary' ? 'teams.primary' : 'teams.secondary')}:{' '}
      {cover ? (
        <>
          {nameOf(cover.memberId)}
          {!cover.active && ` (${t('teams.calendar.inactive')})`}
          {cover.override && (
            <Badge ml={4} size="sm" variant="outline" color="dark">
              {t('teams.calendar.override')}
            </Badge>
          )}
        </>
      ) : (
        t('teams.nobody')
      )}
    </Text>
  );
  return (
    <Box component="section" aria-labelledby={headingId} mt="md">
      <Title order={3} size="h4" id={headingId}>
        {t('teams.calendar.title')}
      </Title>
      <Group gap="xs" mt="xs" wrap="wrap">
        <Button variant="default" size="xs" onClick={() => setWeek(data.previousWeek)} aria-label={t('teams.calendar.previousOf', { team: teamName })}>
          ← {t('teams.calendar.previous')}
        </Button>
        <Button variant="default" size="xs" onClick={() => setWeek(data.nextWeek)} aria-label={t('teams.calendar.nextOf', { team: teamName })}>
          {t('teams.calendar.next')} →
        </Button>
        {week && (
          <Button variant="subtle" size="xs" onClick={() => setWeek(null)}>
            {t('teams.calendar.thisWeek')}
          </Button>
        )}
      </Group>
      <Text fw={600} mt="xs" aria-live="polite">
        {range}
      </Text>
      <Text size="sm">{t('teams.calendar.inZone', { zone: timeZoneName(data.timeZone, i18n.language) })}</Text>
      {data.gaps > 0 ? (
        <Alert color="red" mt="xs" title={t('teams.calendar.gapsTitle', { count: data.gaps })}>
          {t('teams.calendar.gapsHelp')}
        </Alert>
      ) : (
        <Text size="sm" mt="xs">
          {t('teams.calendar.noGaps')}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, md: 7 }} spacing="xs" mt="xs">
        {data.days.map((day) => {
          const dayId = `${headingId}-${day.date}`;
          const today = day.date === data.today;
          return (
            <Paper
              key={day.date}
              component="section"
              aria-labelledby={dayId}
              withBorder
              p="xs"
              style={today ? { borderWidth: 2, borderColor: '#1c4f82' } : undefined}
            >
              <Title order={4} size="h6" id={dayId}>
                {dayName(day.date, i18n.language, { weekday: 'long', day: 'numeric', month: 'short' })}
                {today && ` · ${t('teams.calendar.today')}`}
              </Title>
              <Stack component="ul" gap={6} mt={4} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {day.segments.map((s) => (
                  <Box
                    component="li"
                    key={s.from}
                    p={4}
                    style={
                      s.gap
                        ? { borderLeft: '4px solid #b00020', background: '#fdecee', color: '#5c0011' }
                        : { borderLeft: `4px solid ${s.primary?.override || s.secondary?.override ? '#4a3c8c' : '#1c4f82'}` }
                    }
                  >
                    <Text size="sm" fw={600}>
                      {s.from}–{s.to}
                    </Text>
                    {s.gap ? (
                      <Text size="sm" fw={700}>
                        ⚠ {t('teams.calendar.gap')}
                      </Text>
                    ) : null}
                    {!s.gap || s.primary || s.secondary ? (
                      <>
                        {who('primary', s.primary)}
                        {who('secondary', s.secondary)}
                      </>
                    ) : null}
                  </Box>
                ))}
              </Stack>
            </Paper>
          );
        })}
      </SimpleGrid>
    </Box>
  );
}

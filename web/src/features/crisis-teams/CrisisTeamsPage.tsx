import { Alert, Button, Card, Checkbox, Group, List, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { teamRoles } from '../../../../src/data/crisis-teams.values';
import type { TeamList } from '../../../../src/features/crisis-teams/crisis-teams.schema';
import { api } from '../../api';
import { useSession } from '../../session';
import { teamRoleLabel, timeZoneName, weekdayName } from '../../ui/labels';
import { ScrollTable } from '../../ui/ScrollTable';
import { EscalationSettingsCard } from './EscalationSettingsCard';
import { RotaCalendar } from './RotaCalendar';

type Team = TeamList['teams'][number];
type Member = Team['members'][number];

/** Teams, members, the weekly rota and who is on call now; admins manage them here. */
/**
 * Members with a phone number who would not be texted or called because this Haven has no provider
 * for it: they get alerts in the app, by push and by e-mail only, and the team must know.
 */
function phonesWithoutProvider(list: TeamList): number {
  if (list.phoneAlerts.texts && list.phoneAlerts.calls) return 0;
  return new Set(list.teams.flatMap((team) => team.members.filter((m) => m.phone).map((m) => m.id))).size;
}

export function CrisisTeamsPage() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const teams = useQuery({
    queryKey: ['crisis-teams'],
    queryFn: () => api<TeamList>('GET', '/api/v1/crisis-teams'),
  });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [newTeamSchool, setNewTeamSchool] = useState<string | null>(null);
  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setMessage({ ok: true, text: t('teams.saved') });
      await queryClient.invalidateQueries({ queryKey: ['crisis-teams'] });
    } catch (caught) {
      setMessage({ ok: false, text: caught instanceof Error ? caught.message : t('errors.generic') });
    }
  };
  const createTeam = (event: FormEvent) => {
    event.preventDefault();
    const school = me?.schools.find((s) => s.id === newTeamSchool);
    void run(() =>
      api('POST', '/api/v1/crisis-teams', { schoolId: newTeamSchool || null, name: school ? `${school.name} crisis team` : 'District crisis team' }),
    );
  };
  return (
    <Stack>
      <Title order={1}>{t('teams.title')}</Title>
      {teams.data && <Text size="sm">{t('teams.timeZone', { zone: timeZoneName(teams.data.timeZone, i18n.language) })}</Text>}
      {teams.data &&
        (teams.data.afterHoursOnCall.length === 0 ? (
          <Alert color="red" title={t('teams.afterHoursMissingTitle')} role="alert">
            {t('teams.afterHoursMissing')}
          </Alert>
        ) : (
          <Text size="sm">{t('teams.afterHoursNow', { names: teams.data.afterHoursOnCall.map((m) => m.name).join(', ') })}</Text>
        ))}
      {teams.data && phonesWithoutProvider(teams.data) > 0 && (
        <Alert color="red" title={t('teams.phonesNotSetUpTitle')} role="alert">
          {t(teams.data.phoneAlerts.texts ? 'teams.callsNotSetUp' : 'teams.phonesNotSetUp', { count: phonesWithoutProvider(teams.data) })}
        </Alert>
      )}
      {message && (
        <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </Alert>
      )}
      {teams.data?.teams.length === 0 && <Text>{t('teams.noTeams')}</Text>}
      {teams.data?.teams.map((team) => (
        <TeamCard key={team.id} team={team} timeZone={teams.data?.timeZone ?? 'UTC'} run={run} />
      ))}
      <Card withBorder component="section" aria-labelledby="new-team-heading">
        <Title order={2} size="h3" id="new-team-heading">
          {t('teams.newTeam')}
        </Title>
        <form onSubmit={createTeam}>
          <Group align="end">
            <Select
              label={t('teams.forSchool')}
              data={[{ value: '', label: t('teams.districtTeam') }, ...(me?.schools ?? []).map((s) => ({ value: s.id, label: s.name }))]}
              value={newTeamSchool ?? ''}
              onChange={(v) => setNewTeamSchool(v || null)}
              allowDeselect={false}
            />
            <Button type="submit">{t('teams.create')}</Button>
          </Group>
        </form>
      </Card>
      {me?.abilities.configureDistrict && (
        <EscalationSettingsCard
          members={(teams.data?.teams ?? []).flatMap((team) => team.members.map((m) => ({ value: m.id, label: `${m.name} (${team.name})` })))}
        />
      )}
    </Stack>
  );
}

function TeamCard({ team, timeZone, run }: { team: Team; timeZone: string; run: (work: () => Promise<unknown>) => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const [member, setMember] = useState({ name: '', teamRole: 'counselor', email: '', phone: '' });
  const [shift, setShift] = useState({ memberId: '', position: 'primary', weekdays: [1, 2, 3, 4, 5], startsAt: '07:00', endsAt: '17:00' });
  const [override, setOverride] = useState({ memberId: '', position: 'primary', startsAt: '', endsAt: '' });
  const nameOf = (id: string) => team.members.find((m) => m.id === id)?.name ?? '—';
  const weekdays = t('teams.weekdays', { returnObjects: true }) as string[];
  const addMember = (event: FormEvent) => {
    event.preventDefault();
    void run(() =>
      api('POST', `/api/v1/crisis-teams/${team.id}/members`, {
        name: member.name,
        teamRole: member.teamRole,
        email: member.email || undefined,
        phone: member.phone || undefined,
      }),
    );
  };
  const addOverride = (event: FormEvent) => {
    event.preventDefault();
    void run(() =>
      // Sent as local times: the server reads them on the district's clock, not the browser's.
      api('POST', `/api/v1/crisis-teams/${team.id}/overrides`, override),
    );
  };
  const addShift = (event: FormEvent) => {
    event.preventDefault();
    void run(() => api('POST', `/api/v1/crisis-teams/${team.id}/shifts`, shift));
  };
  return (
    <Card withBorder component="section" aria-labelledby={`team-${team.id}`}>
      <Title order={2} size="h3" id={`team-${team.id}`}>
        {team.name}
      </Title>
      <Text mt="xs" fw={600}>
        {t('teams.onCallNow')}: {t('teams.primary')} — {team.onCallNow.primary ?? t('teams.nobody')}; {t('teams.secondary')} —{' '}
        {team.onCallNow.secondary ?? t('teams.nobody')}
      </Text>
      <RotaCalendar teamId={team.id} teamName={team.name} />
      <Title order={3} size="h4" mt="md">
        {t('teams.members')}
      </Title>
      <List>
        {team.members.map((m) => (
          <List.Item key={m.id}>
            {m.name} · {teamRoleLabel(t, m.teamRole)} {m.email ? `· ${m.email}` : ''} {m.phone ? `· ${m.phone}` : ''}
          </List.Item>
        ))}
      </List>
      <Title order={3} size="h4" mt="md">
        {t('teams.rota')}
      </Title>
      <ScrollTable label={t('teams.rotaOf', { team: team.name })} minWidth={420}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('teams.days')}</Table.Th>
              <Table.Th scope="col">{t('teams.from')}</Table.Th>
              <Table.Th scope="col">{t('teams.to')}</Table.Th>
              <Table.Th scope="col">{t('teams.position')}</Table.Th>
              <Table.Th scope="col">{t('teams.member')}</Table.Th>
              {team.canManage && (
                <Table.Th scope="col">
                  <span className="visually-hidden">{t('teams.remove')}</span>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {team.shifts.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{weekdays[s.weekday]}</Table.Td>
                <Table.Td>{s.startsAt.slice(0, 5)}</Table.Td>
                <Table.Td>{s.endsAt.slice(0, 5)}</Table.Td>
                <Table.Td>{s.position === 'primary' ? t('teams.primary') : t('teams.secondary')}</Table.Td>
                <Table.Td>{nameOf(s.memberId)}</Table.Td>
                {team.canManage && (
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="outline"
                      color="red.9"
                      onClick={() => run(() => api('DELETE', `/api/v1/crisis-teams/${team.id}/shifts/${s.id}`))}
                      aria-label={t('teams.removeShift', {
                        member: nameOf(s.memberId),
                        day: weekdayName(s.weekday, i18n.language),
                        from: s.startsAt.slice(0, 5),
                        to: s.endsAt.slice(0, 5),
                      })}
                    >
                      {t('teams.remove')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {team.overrides.length > 0 && (
        <>
          <Title order={3} size="h4" mt="md">
            {t('teams.overrides')}
          </Title>
          <List>
            {team.overrides.map((o) => (
              <List.Item key={o.id}>
                {/* On the district's clock, as the rota is, not the browser's. */}
                {new Date(o.startsAt).toLocaleString(i18n.language, { timeZone, dateStyle: 'medium', timeStyle: 'short' })} –{' '}
                {new Date(o.endsAt).toLocaleString(i18n.language, { timeZone, dateStyle: 'medium', timeStyle: 'short' })} ·{' '}
                {o.position === 'primary' ? t('teams.primary') : t('teams.secondary')} · {nameOf(o.memberId)}
              </List.Item>
            ))}
          </List>
        </>
      )}
      {team.canManage && (
        <>
          <form onSubmit={addMember}>
            <Title order={3} size="h4" mt="md">
              {t('teams.addMember')}
            </Title>
            <Group align="end" wrap="wrap">
              <TextInput label={t('teams.name')} required value={member.name} onChange={(e) => setMember({ ...member, name: e.currentTarget.value })} />
              <Select
                label={t('teams.role')}
                data={teamRoles.map((r) => ({ value: r, label: teamRoleLabel(t, r) }))}
                value={member.teamRole}
                onChange={(v) => v && setMember({ ...member, teamRole: v })}
                allowDeselect={false}
              />
              <TextInput label={t('teams.email')} type="email" value={member.email} onChange={(e) => setMember({ ...member, email: e.currentTarget.value })} />
              <TextInput label={t('teams.phone')} type="tel" value={member.phone} onChange={(e) => setMember({ ...member, phone: e.currentTarget.value })} />
              <Button type="submit">{t('teams.add')}</Button>
            </Group>
          </form>
          <form onSubmit={addShift}>
            <Title order={3} size="h4" mt="md">
              {t('teams.addShift')}
            </Title>
            <Group align="end" wrap="wrap">
              <MemberSelect members={team.members} value={shift.memberId} onChange={(memberId) => setShift({ ...shift, memberId })} />
              <PositionSelect value={shift.position} onChange={(position) => setShift({ ...shift, position })} />
              <TextInput label={t('teams.from')} type="time" value={shift.startsAt} onChange={(e) => setShift({ ...shift, startsAt: e.currentTarget.value })} />
              <TextInput label={t('teams.to')} type="time" value={shift.endsAt} onChange={(e) => setShift({ ...shift, endsAt: e.currentTarget.value })} />
            </Group>
            <Checkbox.Group
              label={t('teams.days')}
              value={shift.weekdays.map(String)}
              onChange={(v) => setShift({ ...shift, weekdays: v.map(Number) })}
              mt="xs"
            >
              <Group>
                {weekdays.map((day, index) => (
                  <Checkbox key={day} value={String(index)} label={day} />
                ))}
              </Group>
            </Checkbox.Group>
            <Button type="submit" mt="xs">
              {t('teams.add')}
            </Button>
          </form>
          <form onSubmit={addOverride}>
            <Title order={3} size="h4" mt="md">
              {t('teams.addOverride')}
            </Title>
            <Group align="end" wrap="wrap">
              <MemberSelect members={team.members} value={override.memberId} onChange={(memberId) => setOverride({ ...override, memberId })} />
              <PositionSelect value={override.position} onChange={(position) => setOverride({ ...override, position })} />
              <TextInput
                label={t('teams.starts')}
                type="datetime-local"
                required
                value={override.startsAt}
                onChange={(e) => setOverride({ ...override, startsAt: e.currentTarget.value })}
              />
              <TextInput
                label={t('teams.ends')}
                type="datetime-local"
                required
                value={override.endsAt}
                onChange={(e) => setOverride({ ...override, endsAt: e.currentTarget.value })}
              />
              <Button type="submit">{t('teams.add')}</Button>
            </Group>
          </form>
        </>
      )}
    </Card>
  );
}

function PositionSelect({ value, onChange }: { value: string; onChange: (position: string) => void }) {
  const { t } = useTranslation();
  const data = [
    { value: 'primary', label: t('teams.primary') },
    { value: 'secondary', label: t('teams.secondary') },
  ];
  return <Select label={t('teams.position')} data={data} value={value} onChange={(v) => v && onChange(v)} allowDeselect={false} />;
}

function MemberSelect({ members, value, onChange }: { members: Member[]; value: string; onChange: (memberId: string) => void }) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('teams.member')}
      data={members.map((m) => ({ value: m.id, label: m.name }))}
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
      required
    />
  );
}

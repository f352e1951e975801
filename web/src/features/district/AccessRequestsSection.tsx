import { Alert, Button, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccessRequestList, RosterInvitationList } from '../../../../src/features/accounts/sso.schema';
import { api } from '../../api';
import { useSession } from '../../session';

const grantable = ['staff', 'counselor', 'crisis_team', 'school_admin', 'district_admin', 'analyst'] as const;

/**
 * District settings → People waiting for access: those who signed in through the district's
 * provider and are not in Haven yet (grant one role, at one school or the whole district, or
 * dismiss), and staff on the roster with no Haven account (invite with the role the roster
 * suggests, after a confirmation). Nobody gets a role any other way.
 */
export function AccessRequestsSection() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const requests = useQuery({ queryKey: ['access-requests'], queryFn: () => api<AccessRequestList>('GET', '/api/v1/district/access-requests') });
  const roster = useQuery({ queryKey: ['roster-invitations'], queryFn: () => api<RosterInvitationList>('GET', '/api/v1/district/roster-invitations') });
  const [choices, setChoices] = useState<Record<string, { role: string; schoolId: string }>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const roleName = (role: string) => t(`account.roleNames.${role}`, { defaultValue: t('account.roleNames.other') });
  const schools = [{ value: '', label: t('account.districtWide') }, ...(me?.schools ?? []).map((s) => ({ value: s.id, label: s.name }))];

  const act = async (work: () => Promise<unknown>, done: string) => {
    setMessage(null);
    try {
      await work();
      setMessage({ ok: true, text: done });
      await queryClient.invalidateQueries({ queryKey: ['access-requests'] });
      await queryClient.invalidateQueries({ queryKey: ['roster-invitations'] });
    } catch (caught) {
      setMessage({ ok: false, text: caught instanceof Error ? caught.message : t('errors.generic') });
    }
  };

  return (
    <Card withBorder component="section" aria-labelledby="access-heading">
      <Stack>
        <Title order={2} size="h3" id="access-heading">
          {t('access.title')}
        </Title>
        {message && (
          <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </Alert>
        )}
        <Title order={3} size="h4">
          {t('access.requestsTitle')}
        </Title>
        <Text size="sm">{t('access.requestsIntro')}</Text>
        {requests.data?.length === 0 && <Text size="sm">{t('access.noRequests')}</Text>}
        {requests.data?.map((request) => {
          const choice = choices[request.id] ?? { role: 'staff', schoolId: '' };
          const choose = (next: Partial<typeof choice>) => setChoices({ ...choices, [request.id]: { ...choice, ...next } });
          return (
            <Card key={request.id} withBorder padding="sm">
              <Stack gap="xs">
                <Text fw={600}>
                  {request.displayName}{' '}
                  <Text span size="sm">
                    ({request.email})
                  </Text>
                </Text>
                <Text size="sm" c="dimmed">
                  {t('access.requestedVia', {
                    provider: request.provider,
                    date: new Date(request.requestedAt).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }),
                  })}
                </Text>
                <Group grow wrap="wrap">
                  <Select
                    label={t('access.role')}
                    data={grantable.map((role) => ({ value: role, label: roleName(role) }))}
                    value={choice.role}
                    onChange={(value) => value && choose({ role: value })}
                    allowDeselect={false}
                  />
                  <Select
                    label={t('access.school')}
                    data={schools}
                    value={choice.schoolId}
                    onChange={(value) => choose({ schoolId: value ?? '' })}
                    allowDeselect={false}
                  />
                </Group>
                <Group wrap="wrap">
                  <Button
                    onClick={() =>
                      act(
                        () => api('POST', `/api/v1/district/access-requests/${request.id}/grant`, { role: choice.role, schoolId: choice.schoolId || null }),
                        t('access.granted', { name: request.displayName }),
                      )
                    }
                  >
                    {t('access.grant', { role: roleName(choice.role) })}
                  </Button>
                  <Button
                    variant="default"
                    onClick={() => act(() => api('POST', `/api/v1/district/access-requests/${request.id}/dismiss`), t('access.dismissed'))}
                  >
                    {t('access.dismiss')}
                  </Button>
                </Group>
              </Stack>
            </Card>
          );
        })}
        <Title order={3} size="h4">
          {t('access.rosterTitle')}
        </Title>
        <Text size="sm">{t('access.rosterIntro')}</Text>
        {roster.data?.length === 0 && <Text size="sm">{t('access.noRoster')}</Text>}
        {roster.data?.map((person) => {
          const name = `${person.givenName} ${person.familyName}`;
          const role = roleName(person.offeredRole ?? 'other');
          return (
            <Group key={person.id} justify="space-between" wrap="wrap">
              <div>
                <Text fw={600}>{name}</Text>
                <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {[person.email, person.school, t('access.offered', { role })].filter(Boolean).join(' · ')}
                </Text>
              </div>
              <Button
                variant="light"
                aria-label={t('access.inviteNamed', { name })}
                onClick={() => {
                  if (!window.confirm(t('access.inviteConfirm', { name, role }))) return;
                  void act(() => api('POST', `/api/v1/district/roster-invitations/${person.id}`, { confirm: true }), t('access.invited', { name }));
                }}
              >
                {t('access.invite')}
              </Button>
            </Group>
          );
        })}
      </Stack>
    </Card>
  );
}

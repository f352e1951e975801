import { Alert, Anchor, Badge, Button, Card, Grid, Group, List, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import type { ReferralView as Referral, SchoolReferral } from '../../../../src/features/referrals/referrals.schema';
import { api } from '../../api';
import { useSession } from '../../session';
import { languageName } from '../../ui/FamilyLanguageSelect';
import { ConsentAndSend } from './ConsentAndSend';
import { ConsentsOnFile } from './ConsentsOnFile';
import { EmailLink, PhoneLink } from './ContactLinks';
import { Part2Notice } from './Part2Notice';
import { PartnerActions, SchoolCancel } from './ReferralActions';
import { StatusBadge } from './ReferralsPage';
import { StudentConnectionCard } from './StudentConnectionCard';

/** One referral as the reader's side sees it: narrow on `side` before reading the school's own fields. */
export type ReferralView = Referral;
/** The referring school's view: everything the school may see. */
export type SchoolReferralView = SchoolReferral;

/**
 * One referral. Both sides see the student (the partner only the disclosed minimum), the family's
 * preferences, the appointment and the history; each side gets the moves it may make.
 */
export function ReferralPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const location = useLocation();
  const warnings = (location.state as { warnings?: string[] } | null)?.warnings ?? [];
  const queryClient = useQueryClient();
  const view = useQuery({ queryKey: ['referral', id], queryFn: () => api<ReferralView>('GET', `/api/v1/referrals/${id}`) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['referral', id] });
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'full', timeStyle: 'short', timeZone: me?.district?.timeZone });
  if (view.error) return <Alert color="red">{view.error.message}</Alert>;
  if (!view.data) return <Text>{t('app.loading')}</Text>;
  const r = view.data;
  // What only the referring school sees (the partner's view has none of it).
  const school = r.side === 'school' ? r : null;
  return (
    <>
      <Anchor component={Link} to="/referrals">
        ← {t('nav.referrals')}
      </Anchor>
      <Group mt="sm" mb="xs" gap="sm">
        <Title order={1}>{r.student.name}</Title>
        <StatusBadge status={r.status} />
        {r.urgency !== 'routine' && (
          <Badge variant="filled" color="red.9">
            {t(`referrals.urgencies.${r.urgency}`)}
          </Badge>
        )}
      </Group>
      <Text mb="md">
        {t(`partners.types.${r.serviceType}`)} · {r.service.name} · {r.organization.name}
      </Text>
      {warnings.map((w) => (
        <Alert key={w} variant="outline" color="#8a4b00" mb="sm" title={t('referrals.warning')}>
          {w}
        </Alert>
      ))}
      {r.side === 'school' && r.agreement === null && (
        <Alert variant="outline" color="#8a4b00" mb="sm">
          {t('referrals.noAgreement', { name: r.organization.name })}
        </Alert>
      )}
      {school?.part2 && <Part2Notice notice={school.part2.notice} scope={school.part2.scope} withheld={school.part2.withheld} />}
      {school?.consentWithdrawnAt && (
        <Alert color="red.9" variant="outline" mb="sm" role="status">
          {t('referrals.withdrawnBanner')}
        </Alert>
      )}
      {school?.emergencyNotice && (
        <Alert variant="outline" color={school.emergencyNotice.emailed > 0 ? 'blue.8' : '#8a4b00'} mb="sm" role="status">
          {school.emergencyNotice.emailed > 0
            ? t('referrals.emergencyNoticeSent', { count: school.emergencyNotice.emailed })
            : t('referrals.emergencyNoticeNone')}
        </Alert>
      )}
      {r.firstSeenAt && (
        <Alert color="green" mb="sm" role="status">
          {t('referrals.loopClosed', { name: r.organization.name })}
        </Alert>
      )}
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <Card withBorder component="section" aria-labelledby="referral-about">
              <Title order={2} size="h4" id="referral-about" mb="xs">
                {r.side === 'partner' ? t('referrals.whatSchoolShared') : t('referrals.about')}
              </Title>
              <List size="sm" spacing={4}>
                <List.Item>
                  {t('referrals.ageGrade', { age: r.student.age ?? t('referrals.notShared'), grade: r.student.grade ?? t('referrals.notShared') })}
                </List.Item>
                {r.preferences && (
                  <>
                    <List.Item>
                      {t('referrals.languageLine', { language: languageName(r.preferences.language, i18n.language) })}
                      {r.preferences.languageRequired ? ` (${t('referrals.languageRequired')})` : ''}
                      {r.student.interpreterNeeded ? ` · ${t('referrals.interpreter')}` : ''}
                    </List.Item>
                    <List.Item>{t(`partners.insurances.${r.preferences.insurance}`)}</List.Item>
                    {r.preferences.modality && <List.Item>{t(`partners.modalities.${r.preferences.modality}`)}</List.Item>}
                    {r.preferences.times && <List.Item>{t('referrals.timesLine', { times: r.preferences.times })}</List.Item>}
                    {r.preferences.providerGender && <List.Item>{t('referrals.genderLine', { gender: r.preferences.providerGender })}</List.Item>}
                    {r.preferences.location && <List.Item>{t('referrals.locationLine', { location: r.preferences.location })}</List.Item>}
                  </>
                )}
                {r.guardian && (
                  <List.Item>
                    {t('referrals.guardianLine', { name: r.guardian.name })} {r.guardian.phone && <PhoneLink phone={r.guardian.phone} />}{' '}
                    {r.guardian.email && <EmailLink email={r.guardian.email} />} ({languageName(r.guardian.language, i18n.language)})
                  </List.Item>
                )}
                {r.side === 'partner' && r.guardianOnAccepting && <List.Item>{t('referrals.guardianOnAccepting')}</List.Item>}
              </List>
              {r.familySharedNote && (
                <Text size="sm" mt="xs">
                  {r.connection ? t('referrals.connection.studentNote') : t('referrals.familyNote')}: {r.familySharedNote}
                </Text>
              )}
              {r.side === 'school' && (
                <Text size="sm" mt="xs" c="dimmed">
                  {r.school} · {t('referrals.referredBy', { name: r.referredBy })}
                  {r.consentBasis && ` · ${t(`referrals.bases.${r.consentBasis}`)}`}
                </Text>
              )}
            </Card>
            {r.appointment && (
              <Card withBorder component="section" aria-labelledby="referral-appointment">
                <Title order={2} size="h4" id="referral-appointment" mb="xs">
                  {t('referrals.appointment')}
                </Title>
                <Text>{when(r.appointment.at)}</Text>
                {r.appointment.place && <Text size="sm">{r.appointment.place}</Text>}
                {r.appointment.telehealthUrl && (
                  <Anchor href={r.appointment.telehealthUrl} underline="always" size="sm">
                    {r.appointment.telehealthUrl}
                  </Anchor>
                )}
                <Group mt="xs">
                  <Anchor href={`/api/v1/referrals/${r.id}/appointment.ics?lang=${i18n.language.startsWith('es') ? 'es' : 'en'}`} underline="always" size="sm">
                    {t('referrals.addToCalendar')}
                  </Anchor>
                </Group>
              </Card>
            )}
            <StudentConnectionCard view={r} onDone={refresh} />
            {r.side === 'school' && <ConsentsOnFile view={r} onDone={refresh} />}
            {r.side === 'school' && r.status === 'draft' && <ConsentAndSend view={r} onDone={refresh} />}
            {r.side === 'partner' && <PartnerActions view={r} onDone={refresh} />}
            {r.side === 'school' && r.status !== 'draft' && <SchoolCancel view={r} onDone={refresh} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            {r.side === 'school' && <FollowUps view={r} onDone={refresh} />}
            <Card withBorder component="section" aria-labelledby="referral-history">
              <Title order={2} size="h4" id="referral-history" mb="xs">
                {t('referrals.history')}
              </Title>
              <List size="sm" spacing={4}>
                {r.events.map((e) => (
                  <List.Item key={`${e.at}-${e.to}`}>
                    {new Date(e.at).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short', timeZone: me?.district?.timeZone })} ·{' '}
                    {t(`referrals.statuses.${e.to}`)} ({t(`referrals.sides.${e.side}`)}){e.reason ? ` — ${e.reason}` : ''}
                  </List.Item>
                ))}
              </List>
              <Anchor href={`/api/v1/referrals/${r.id}/fhir`} underline="always" size="sm" mt="xs" display="block">
                {t('referrals.fhir')}
              </Anchor>
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

function FollowUps({ view, onDone }: { view: SchoolReferralView; onDone: () => void }) {
  const { t } = useTranslation();
  const done = useMutation({ mutationFn: (followUpId: string) => api('POST', `/api/v1/referral-follow-ups/${followUpId}/done`, {}), onSuccess: onDone });
  const items = view.followUps;
  // A student who sought care in confidence is checked in with, not their family.
  const confidential = view.studentConnection ? !view.studentConnection.guardianMayBeTold : false;
  const kindLabel = (kind: string) =>
    kind === 'family_checkin' && confidential ? t('referrals.connection.studentCheckin') : t(`referrals.followUpKinds.${kind}`);
  return (
    <Card withBorder component="section" aria-labelledby="referral-follow-ups">
      <Title order={2} size="h4" id="referral-follow-ups" mb="xs">
        {t('referrals.followUps')}
      </Title>
      {items.length === 0 && <Text size="sm">{t('referrals.noFollowUps')}</Text>}
      <List size="sm" spacing="xs">
        {items.map((f) => (
          <List.Item key={f.id}>
            <Text size="sm">
              {kindLabel(f.kind)} · {t('referrals.dueOn', { date: f.dueOn })}
              {f.overdue && (
                <Badge ml={4} color="red.9" variant="outline">
                  {t('referrals.overdue')}
                </Badge>
              )}
            </Text>
            {f.done ? (
              <Text size="xs">
                {t('referrals.done')}
                {f.note ? ` — ${f.note}` : ''}
              </Text>
            ) : (
              <Button size="xs" variant="default" mt={4} onClick={() => done.mutate(f.id)} aria-label={t('referrals.markDone', { what: kindLabel(f.kind) })}>
                {t('referrals.done')}
              </Button>
            )}
          </List.Item>
        ))}
      </List>
      {done.error && <Alert color="red">{done.error.message}</Alert>}
    </Card>
  );
}

import { Alert, Anchor, Badge, Card, Grid, Loader, Table, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { StudentView } from '../../../../src/features/students/students.schema';
import { api } from '../../api';
import { languageName } from '../../ui/FamilyLanguageSelect';
import { dayLabel, genderLabel, gradeLabel, relationshipLabel } from '../../ui/labels';
import { TeacherNotes } from '../cases/TeacherNotes';
import { HeldFamilyMessages } from '../family-contact/HeldFamilyMessages';
import { StudentReferrals } from '../referrals/StudentReferrals';
import { ScreeningHistory } from '../screening/ScreeningHistory';
import { StudentTimeline } from '../support/StudentTimeline';
import { SupportPlans } from '../support/SupportPlans';
import { AccessLogPanel } from './AccessLogPanel';

type Student = StudentView;

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>
        <Text size="sm" c="dimmed" component="span">
          {label}
        </Text>
      </dt>
      <dd style={{ margin: '0 0 0.5rem 0' }}>{value}</dd>
    </>
  );
}

/** A student's profile: what the viewer's role allows, each view recorded on the server. */
export function StudentProfilePage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const student = useQuery({ queryKey: ['student', id], queryFn: () => api<Student>('GET', `/api/v1/students/${encodeURIComponent(id)}`) });
  const canReadLog = student.data?.abilities.readAccessLog ?? false;
  const canExportLog = student.data?.abilities.exportAccessLog ?? false;
  const yesNo = (value: boolean) => (value ? t('profile.yes') : t('profile.no'));

  if (student.isLoading) return <Loader aria-label={t('app.loading')} />;
  if (student.error || !student.data) {
    return (
      <>
        <Anchor component={Link} to="/students">
          {t('profile.back')}
        </Anchor>
        <Alert color="red" role="alert" mt="md">
          {t('profile.notFound')}
        </Alert>
      </>
    );
  }
  const s = student.data;
  return (
    <>
      <Anchor component={Link} to="/students">
        {t('profile.back')}
      </Anchor>
      <Title order={1} mt="sm">
        {s.preferredName ?? s.firstName} {s.lastName}
        {!s.active && (
          <Badge ml="sm" color="gray" variant="outline">
            {t('students.inactive')}
          </Badge>
        )}
      </Title>
      <Text c="dimmed" mb="md">
        {s.school.name} · {t('students.grade')} {gradeLabel(t, s.grade)} · {t('students.number')} {s.localId}
      </Text>
      <Text size="sm" mb="md" role="note">
        {t('profile.recorded')}
      </Text>
      <Tabs defaultValue="profile">
        <Tabs.List>
          <Tabs.Tab value="profile">{t('profile.identity')}</Tabs.Tab>
          {(canReadLog || canExportLog) && <Tabs.Tab value="log">{t('profile.accessLog')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="profile" pt="md">
          <Grid>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Card withBorder component="section" aria-labelledby="about-heading">
                <Title order={2} size="h3" id="about-heading" mb="sm">
                  {t('profile.identity')}
                </Title>
                <dl style={{ margin: 0 }}>
                  {s.preferredName && <Fact label={t('profile.preferredName')} value={s.preferredName} />}
                  <Fact label={t('profile.homeLanguage')} value={languageName(s.homeLanguage, i18n.language)} />
                  <Fact label={t('profile.interpreter')} value={yesNo(s.interpreterNeeded)} />
                </dl>
              </Card>
            </Grid.Col>
            {s.protected && (
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Card withBorder component="section" aria-labelledby="protected-heading">
                  <Title order={2} size="h3" id="protected-heading">
                    {t('profile.protected')}
                  </Title>
                  <Text size="sm" c="dimmed" mb="sm">
                    {t('profile.protectedHelp')}
                  </Text>
                  <dl style={{ margin: 0 }}>
                    <Fact label={t('profile.dateOfBirth')} value={s.protected.dateOfBirth ? dayLabel(s.protected.dateOfBirth, i18n.language) : '—'} />
                    <Fact label={t('profile.englishLearner')} value={yesNo(s.protected.englishLearner)} />
                    <Fact label={t('profile.iep')} value={yesNo(s.protected.iep)} />
                    <Fact label={t('profile.section504')} value={yesNo(s.protected.section504)} />
                    <Fact label={t('profile.freeReducedLunch')} value={yesNo(s.protected.freeReducedLunch)} />
                    <Fact label={t('profile.homeless')} value={yesNo(s.protected.homeless)} />
                    <Fact label={t('profile.fosterCare')} value={yesNo(s.protected.fosterCare)} />
                    <Fact
                      label={t('profile.raceEthnicity')}
                      value={
                        s.protected.raceEthnicity
                          .map((code) => t(`leadership.groups.race_ethnicity.${code === 'two_or_more_races' ? 'two_or_more' : code}`))
                          .join(', ') || '—'
                      }
                    />
                    <Fact label={t('profile.gender')} value={genderLabel(t, s.protected.gender)} />
                  </dl>
                </Card>
              </Grid.Col>
            )}
            {s.protected && (
              <Grid.Col span={12}>
                <Card withBorder component="section" aria-labelledby="guardians-heading">
                  <Title order={2} size="h3" id="guardians-heading" mb="sm">
                    {t('profile.guardians')}
                  </Title>
                  <Table.ScrollContainer minWidth={560}>
                    <Table>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th scope="col">{t('students.name')}</Table.Th>
                          <Table.Th scope="col">{t('profile.relationship')}</Table.Th>
                          <Table.Th scope="col">{t('profile.phone')}</Table.Th>
                          <Table.Th scope="col">{t('profile.email')}</Table.Th>
                          <Table.Th scope="col">{t('profile.language')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {s.protected.guardians.map((g) => (
                          <Table.Tr key={g.id}>
                            <Table.Td>
                              {g.firstName} {g.lastName}
                              {g.primaryContact && (
                                <Badge ml="xs" variant="light">
                                  {t('profile.primary')}
                                </Badge>
                              )}
                            </Table.Td>
                            <Table.Td>{relationshipLabel(t, g.relationship)}</Table.Td>
                            <Table.Td>{g.phone ? <Anchor href={`tel:${g.phone}`}>{g.phone}</Anchor> : '—'}</Table.Td>
                            <Table.Td>{g.email ?? '—'}</Table.Td>
                            <Table.Td>{languageName(g.preferredLanguage, i18n.language)}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                </Card>
              </Grid.Col>
            )}
          </Grid>
          <TeacherNotes studentId={s.id} />
          {s.abilities.readProtected && <HeldFamilyMessages studentId={s.id} />}
          {s.abilities.readProtected && <SupportPlans studentId={s.id} />}
          {s.abilities.readProtected && <StudentReferrals studentId={s.id} />}
          {s.abilities.readProtected && <ScreeningHistory studentId={s.id} />}
          {s.abilities.readProtected && <StudentTimeline studentId={s.id} />}
        </Tabs.Panel>
        {(canReadLog || canExportLog) && (
          <Tabs.Panel value="log" pt="md">
            <AccessLogPanel studentId={s.id} canRead={canReadLog} canExport={canExportLog} />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}

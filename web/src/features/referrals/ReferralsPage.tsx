import { Alert, Anchor, Badge, Card, Group, SegmentedControl, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ReferralList, ReferralMeasures } from '../../../../src/features/referrals/referrals.schema';
import { api } from '../../api';
import { useSession } from '../../session';
import { languageName } from '../../ui/FamilyLanguageSelect';
import { ScrollTable } from '../../ui/ScrollTable';
import { Part2Notice } from './Part2Notice';

export type ReferralRow = ReferralList[number];
type Measures = ReferralMeasures;
/** A group's row or one of its home-language rows: hidden (`suppressed`) when it would name a small group (decision 23). */
type Row = Measures['groups'][number] | Measures['groups'][number]['byLanguage'][number];

/** A status as a badge with words, never colour alone. */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  // Dark enough for small text on white (Mantine's green.9 is 4.37:1).
  const color = status === 'completed' ? '#1e6b34' : ['rejected', 'failed', 'cancelled'].includes(status) ? 'red.9' : 'blue.8';
  return (
    <Badge variant="outline" color={color}>
      {t(`referrals.statuses.${status}`)}
    </Badge>
  );
}

/**
 * Referrals: for school staff every referral at their schools with open follow-ups and the loop
 * measures; for a partner the referrals sent to their organization, newest first.
 */
export function ReferralsPage() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const partner = me?.roles.every((r) => r.role === 'partner') ?? false;
  const [open, setOpen] = useState('true');
  const list = useQuery({ queryKey: ['referrals', open], queryFn: () => api<ReferralList>('GET', `/api/v1/referrals?open=${open}`) });
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short', timeZone: me?.district?.timeZone });
  return (
    <>
      <Group justify="space-between" mb="xs">
        <Title order={1}>{partner ? t('referrals.partnerTitle') : t('referrals.title')}</Title>
        {!partner && (
          <Anchor component={Link} to="/partners">
            {t('referrals.directory')}
          </Anchor>
        )}
      </Group>
      <Text mb="md">{partner ? t('referrals.partnerIntro') : t('referrals.intro')}</Text>
      <SegmentedControl
        mb="md"
        value={open}
        onChange={setOpen}
        aria-label={t('referrals.show')}
        data={[
          { value: 'true', label: t('referrals.open') },
          { value: 'false', label: t('referrals.closed') },
        ]}
      />
      {list.error && <Alert color="red">{list.error.message}</Alert>}
      {list.data && list.data.length === 0 && <Alert role="status">{t('referrals.none')}</Alert>}
      {list.data?.find((r) => r.redisclosureNotice) && <Part2Notice notice={list.data.find((r) => r.redisclosureNotice)?.redisclosureNotice ?? ''} />}
      {list.data && list.data.length > 0 && (
        <ScrollTable label={t('referrals.title')} minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('referrals.student')}</Table.Th>
                <Table.Th scope="col">{partner ? t('referrals.need') : t('referrals.partner')}</Table.Th>
                <Table.Th scope="col">{t('referrals.status')}</Table.Th>
                <Table.Th scope="col">{t('referrals.appointment')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Th scope="row">
                    <Anchor component={Link} to={`/referrals/${r.id}`}>
                      {r.student.name}
                    </Anchor>
                    <Text size="sm" c="dimmed">
                      {r.school}
                      {r.student.grade !== null && ` · ${t('screening.grade')} ${r.student.grade}`}
                      {r.studentInitiated && ` · ${t('referrals.connection.badge')}`}
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    {partner ? t(`partners.types.${r.serviceType}`) : r.organization}
                    <Text size="sm">{r.service}</Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={r.status} />
                    {r.urgency !== 'routine' && (
                      <Badge ml={4} variant="filled" color="red.9">
                        {t(`referrals.urgencies.${r.urgency}`)}
                      </Badge>
                    )}
                    {r.openFollowUps > 0 && <Text size="sm">{t('referrals.followUpsOpen', { count: r.openFollowUps })}</Text>}
                  </Table.Td>
                  <Table.Td>{r.appointmentAt ? when(r.appointmentAt) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {!partner && <MeasuresCard />}
    </>
  );
}

function MeasuresCard() {
  const { t, i18n } = useTranslation();
  const [by, setBy] = useState('partner');
  const measures = useQuery({ queryKey: ['referral-measures', by], queryFn: () => api<Measures>('GET', `/api/v1/referrals/measures?by=${by}`) });
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
  const days = (v: number | null) => (v === null ? '—' : t('referrals.daysValue', { count: v }));
  // A hidden row reads "hidden" (never blank): small, or it would let a small one be worked out.
  const cells = (m: Row) =>
    'suppressed' in m ? (
      <Table.Td colSpan={5}>{t('privacy.hidden')}</Table.Td>
    ) : (
      <>
        <Table.Td>{m.sent}</Table.Td>
        <Table.Td>{m.accepted}</Table.Td>
        <Table.Td>{days(m.medianDaysToFirstAppointment)}</Table.Td>
        <Table.Td>{days(m.p90DaysToFirstAppointment)}</Table.Td>
        <Table.Td>{pct(m.loopsClosedShare)}</Table.Td>
      </>
    );
  const anyHidden = measures.data?.groups.some((g) => 'suppressed' in g || g.byLanguage.some((l) => 'suppressed' in l));
  return (
    <Card withBorder mt="xl" component="section" aria-labelledby="loop-measures">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h3" id="loop-measures">
          {t('referrals.measures')}
        </Title>
        <SegmentedControl
          value={by}
          onChange={setBy}
          aria-label={t('referrals.groupBy')}
          data={['partner', 'school', 'language'].map((value) => ({ value, label: t(`referrals.by.${value}`) }))}
        />
      </Group>
      {measures.error && <Alert color="red">{measures.error.message}</Alert>}
      {measures.data && (
        <ScrollTable label={t('referrals.measures')} minWidth={560}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t(`referrals.by.${by}`)}</Table.Th>
                <Table.Th scope="col">{t('referrals.sent')}</Table.Th>
                <Table.Th scope="col">{t('referrals.accepted')}</Table.Th>
                <Table.Th scope="col">{t('referrals.median')}</Table.Th>
                <Table.Th scope="col">{t('referrals.p90')}</Table.Th>
                <Table.Th scope="col">{t('referrals.loopsClosed')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {measures.data.groups.flatMap((g) => [
                <Table.Tr key={g.name}>
                  <Table.Th scope="row">{g.name}</Table.Th>
                  {cells(g)}
                </Table.Tr>,
                ...g.byLanguage.map((l) => (
                  <Table.Tr key={`${g.name}-${l.language}`}>
                    <Table.Th scope="row" pl="xl" fw={400}>
                      {t('referrals.homeLanguage', { language: l.language ? languageName(l.language, i18n.language) : t('referrals.languageNotRecorded') })}
                    </Table.Th>
                    {cells(l)}
                  </Table.Tr>
                )),
              ])}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {anyHidden && (
        <Text size="sm" mt="xs">
          {t('privacy.hiddenNote', { n: measures.data?.threshold ?? 10 })}
        </Text>
      )}
    </Card>
  );
}

import { Alert, Button, Card, Group, List, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { EmailLink, PhoneLink } from './ContactLinks';
import type { ReferralView } from './ReferralPage';

/**
 * A referral the student sought on their own consent. Both sides see how the student wants to be
 * reached and whether the guardian may be told. Either side can record that the student now
 * agrees; only the partner's clinician can record that telling the guardian is necessary
 * (C.R.S. 12-245-203.5), with the reason, which goes to the student's access log.
 */
export function StudentConnectionCard({ view, onDone }: { view: ReferralView; onDone: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const tell = useMutation({
    mutationFn: (body: { because: string; reason?: string }) => api('POST', `/api/v1/referrals/${view.id}/guardian-may-be-told`, body),
    onSuccess: () => {
      setReason('');
      onDone();
    },
  });
  const partner = view.connection;
  const school = view.side === 'school' ? view.studentConnection : null;
  if (!partner && !school) return null;
  const route = (partner?.contactRoute ?? school?.contactRoute) as string;
  const contact = partner?.contact ?? school?.contact ?? null;
  const mayBeTold = partner?.guardianMayBeTold ?? school?.guardianMayBeTold ?? false;
  const told = partner?.guardianTold ?? school?.guardianTold ?? null;
  const necessity = (e: FormEvent) => {
    e.preventDefault();
    tell.mutate({ because: 'clinician_necessity', reason });
  };
  return (
    <Card withBorder component="section" aria-labelledby="student-connection">
      <Title order={2} size="h4" id="student-connection" mb="xs">
        {t('referrals.connection.title')}
      </Title>
      <Text size="sm" mb="xs">
        {view.side === 'partner' ? t('referrals.connection.partnerIntro') : t('referrals.connection.schoolIntro')}
      </Text>
      <List size="sm" spacing={4}>
        <List.Item>
          {t('referrals.connection.route', { route: t(`referrals.consentPath.routes.${route}`) })}
          {contact && (
            <>
              {': '}
              {route === 'own_phone' ? <PhoneLink phone={contact} /> : route === 'own_email' ? <EmailLink email={contact} /> : contact}
            </>
          )}
          {partner?.counselor && (
            <>
              {' — '}
              {partner.counselor.name}, <EmailLink email={partner.counselor.email} />
            </>
          )}
        </List.Item>
        {school && (
          <List.Item>
            {school.share.length
              ? t('referrals.connection.shared', { items: school.share.map((s) => t(`referrals.consentPath.shareItems.${s}`)).join(', ') })
              : t('referrals.connection.nothingShared')}
          </List.Item>
        )}
        {school?.note && (
          <List.Item>
            {t('referrals.connection.studentNote')}: {school.note}
          </List.Item>
        )}
        <List.Item>
          {told
            ? t(`referrals.connection.toldBecause.${told.because}`, { reason: told.reason ?? '' })
            : mayBeTold
              ? t('referrals.connection.guardianMayBeTold')
              : view.side === 'partner'
                ? t('referrals.connection.guardianNotTold')
                : t('referrals.connection.guardianNotToldSchool')}
        </List.Item>
      </List>
      {!mayBeTold && view.status !== 'cancelled' && (
        <Stack gap="xs" mt="sm">
          <Group>
            <Button variant="default" size="xs" onClick={() => tell.mutate({ because: 'student_agreed' })} loading={tell.isPending}>
              {t('referrals.connection.studentAgreed')}
            </Button>
          </Group>
          {view.side === 'partner' && (
            <form onSubmit={necessity}>
              <Stack gap="xs">
                <Textarea
                  label={t('referrals.connection.necessityReason')}
                  description={t('referrals.connection.necessityHelp')}
                  value={reason}
                  onChange={(e) => setReason(e.currentTarget.value)}
                  autosize
                  minRows={2}
                  required
                />
                <Group>
                  <Button type="submit" variant="default" color="red.9">
                    {t('referrals.connection.necessity')}
                  </Button>
                </Group>
              </Stack>
            </form>
          )}
        </Stack>
      )}
      {tell.error && (
        <Alert color="red" mt="xs" role="alert">
          {tell.error.message}
        </Alert>
      )}
    </Card>
  );
}

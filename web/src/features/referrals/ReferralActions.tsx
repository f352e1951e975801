import { Alert, Button, Card, Group, NumberInput, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReferralMoved } from '../../../../src/features/referrals/referrals.schema';
import { api } from '../../api';
import type { ReferralView } from './ReferralPage';

type Move = ReferralView['moves'][number];

function useMove(id: string, onDone: () => void) {
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api<ReferralMoved>('POST', `/api/v1/referrals/${id}/status`, body),
    onSuccess: onDone,
  });
}

/** The moves that need a reason, in the order the buttons show them. */
const reasoned = ['rejected', 'on-hold', 'failed'] as const;

/**
 * What the partner does with a referral: answer it, schedule, mark attended, hold, complete, or
 * close it when it did not work out. Only the moves the server lists for this reader now are
 * offered (`view.moves`), so the help text names exactly the buttons on the page.
 */
export function PartnerActions({ view, onDone }: { view: ReferralView; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const move = useMove(view.id, onDone);
  const [reason, setReason] = useState('');
  const [slot, setSlot] = useState({ at: '', minutes: 50 as number | string, place: '', telehealthUrl: '' });
  if (view.moves.length === 0) return null;
  const can = (to: Move) => view.moves.includes(to);
  const s = view.status;
  const schedule = (e: FormEvent) => {
    e.preventDefault();
    move.mutate({
      status: 'scheduled',
      appointmentAt: slot.at,
      appointmentMinutes: Number(slot.minutes),
      appointmentPlace: slot.place || undefined,
      telehealthUrl: slot.telehealthUrl || undefined,
    });
  };
  const withReason = (status: string) => move.mutate({ status, reason: reason || undefined });
  const needReason = reasoned.filter(can);
  // "Needed to decline." / "Needed to put it on hold or mark that it did not work out."
  const reasonHelp = t('referrals.reasonNeeded', {
    actions: new Intl.ListFormat(i18n.language, { type: 'disjunction' }).format(needReason.map((to) => t(`referrals.reasonFor.${to}`))),
  });
  const invited = move.data?.status === 'scheduled' ? move.data.invited : null;
  return (
    <Card withBorder component="section" aria-labelledby="partner-actions">
      <Title order={2} size="h4" id="partner-actions" mb="xs">
        {t('referrals.yourAnswer')}
      </Title>
      {(['accepted', 'in-progress', 'completed'] as const).some(can) && (
        <Group mb="sm">
          {can('accepted') && <Button onClick={() => move.mutate({ status: 'accepted' })}>{t('referrals.accept')}</Button>}
          {s === 'scheduled' && can('in-progress') && <Button onClick={() => move.mutate({ status: 'in-progress' })}>{t('referrals.attended')}</Button>}
          {s === 'on-hold' && can('in-progress') && <Button onClick={() => move.mutate({ status: 'in-progress' })}>{t('referrals.resume')}</Button>}
          {can('completed') && <Button onClick={() => move.mutate({ status: 'completed' })}>{t('referrals.complete')}</Button>}
        </Group>
      )}
      {s === 'scheduled' && !can('in-progress') && (
        <Text size="sm" mb="sm">
          {t('referrals.attendedFromTheDay')}
        </Text>
      )}
      {invited && (
        <Alert variant="outline" color={invited.length ? 'blue.8' : '#8a4b00'} mb="sm" role="status">
          {invited.length
            ? t('referrals.invitationSent', { who: new Intl.ListFormat(i18n.language).format(invited.map((k) => t(`referrals.invitees.${k}`))) })
            : t('referrals.invitationNotSent')}
        </Alert>
      )}
      {can('scheduled') && (
        <form onSubmit={schedule}>
          <Stack gap="xs" mb="md">
            <Text fw={600} size="sm">
              {s === 'accepted' ? t('referrals.schedule') : t('referrals.reschedule')}
            </Text>
            {/* One column on a phone: a native date-time field needs the full width to show its value. */}
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
              <TextInput
                type="datetime-local"
                label={t('referrals.when')}
                value={slot.at}
                onChange={(e) => setSlot({ ...slot, at: e.currentTarget.value })}
                required
              />
              <NumberInput label={t('referrals.minutes')} value={slot.minutes} onChange={(v) => setSlot({ ...slot, minutes: v })} min={10} max={480} />
            </SimpleGrid>
            <TextInput label={t('referrals.place')} value={slot.place} onChange={(e) => setSlot({ ...slot, place: e.currentTarget.value })} />
            <TextInput
              label={t('referrals.telehealthLink')}
              description={t('referrals.telehealthHelp')}
              value={slot.telehealthUrl}
              onChange={(e) => setSlot({ ...slot, telehealthUrl: e.currentTarget.value })}
            />
            <Group>
              <Button type="submit" variant="default">
                {t('referrals.saveAppointment')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {needReason.length > 0 && (
        <>
          <Textarea
            label={t('referrals.reason')}
            description={reasonHelp}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            autosize
            minRows={1}
          />
          <Group mt="xs">
            {can('rejected') && (
              <Button variant="default" onClick={() => withReason('rejected')}>
                {t('referrals.decline')}
              </Button>
            )}
            {can('on-hold') && (
              <Button variant="default" onClick={() => withReason('on-hold')}>
                {t('referrals.hold')}
              </Button>
            )}
            {can('failed') && (
              <Button variant="default" onClick={() => withReason('failed')}>
                {t('referrals.fail')}
              </Button>
            )}
          </Group>
        </>
      )}
      {move.error && (
        <Alert color="red" mt="xs">
          {move.error.message}
        </Alert>
      )}
    </Card>
  );
}

/** The school may cancel a referral it sent, with a reason (the family moved, care found elsewhere). */
export function SchoolCancel({ view, onDone }: { view: ReferralView; onDone: () => void }) {
  const { t } = useTranslation();
  const move = useMove(view.id, onDone);
  const [reason, setReason] = useState('');
  if (!view.moves.includes('cancelled')) return null;
  return (
    <Card withBorder component="section" aria-labelledby="school-cancel">
      <Title order={2} size="h4" id="school-cancel" mb="xs">
        {t('referrals.cancelTitle')}
      </Title>
      <Group align="flex-end">
        <TextInput label={t('referrals.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Button variant="default" onClick={() => move.mutate({ status: 'cancelled', reason: reason || undefined })}>
          {t('referrals.cancel')}
        </Button>
      </Group>
      {move.error && (
        <Alert color="red" mt="xs">
          {move.error.message}
        </Alert>
      )}
    </Card>
  );
}

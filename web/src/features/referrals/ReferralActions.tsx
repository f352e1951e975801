import { Alert, Button, Card, Group, NumberInput, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import type { ReferralView } from './ReferralPage';

const closed = new Set(['rejected', 'completed', 'failed', 'cancelled']);

function useMove(id: string, onDone: () => void) {
  return useMutation({ mutationFn: (body: Record<string, unknown>) => api('POST', `/api/v1/referrals/${id}/status`, body), onSuccess: onDone });
}

/** What the partner does with a referral: answer it, schedule, mark attended, hold, complete. */
export function PartnerActions({ view, onDone }: { view: ReferralView; onDone: () => void }) {
  const { t } = useTranslation();
  const move = useMove(view.id, onDone);
  const [reason, setReason] = useState('');
  const [slot, setSlot] = useState({ at: '', minutes: 50 as number | string, place: '', telehealthUrl: '' });
  if (closed.has(view.status)) return null;
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
  return (
    <Card withBorder component="section" aria-labelledby="partner-actions">
      <Title order={2} size="h4" id="partner-actions" mb="xs">
        {t('referrals.yourAnswer')}
      </Title>
      <Group mb="sm">
        {s === 'requested' && <Button onClick={() => move.mutate({ status: 'accepted' })}>{t('referrals.accept')}</Button>}
        {s === 'scheduled' && <Button onClick={() => move.mutate({ status: 'in-progress' })}>{t('referrals.attended')}</Button>}
        {s === 'on-hold' && <Button onClick={() => move.mutate({ status: 'in-progress' })}>{t('referrals.resume')}</Button>}
        {s === 'in-progress' && <Button onClick={() => move.mutate({ status: 'completed' })}>{t('referrals.complete')}</Button>}
      </Group>
      {['accepted', 'scheduled', 'on-hold'].includes(s) && (
        <form onSubmit={schedule}>
          <Stack gap="xs" mb="md">
            <Text fw={600} size="sm">
              {s === 'accepted' ? t('referrals.schedule') : t('referrals.reschedule')}
            </Text>
            <Group grow align="flex-start">
              <TextInput
                type="datetime-local"
                label={t('referrals.when')}
                value={slot.at}
                onChange={(e) => setSlot({ ...slot, at: e.currentTarget.value })}
                required
              />
              <NumberInput label={t('referrals.minutes')} value={slot.minutes} onChange={(v) => setSlot({ ...slot, minutes: v })} min={10} max={480} />
            </Group>
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
      <Textarea
        label={t('referrals.reason')}
        description={t('referrals.reasonHelp')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        autosize
        minRows={1}
      />
      <Group mt="xs">
        {s === 'requested' && (
          <Button variant="default" onClick={() => withReason('rejected')}>
            {t('referrals.decline')}
          </Button>
        )}
        {['scheduled', 'in-progress'].includes(s) && (
          <Button variant="default" onClick={() => withReason('on-hold')}>
            {t('referrals.hold')}
          </Button>
        )}
        {['scheduled', 'in-progress', 'on-hold'].includes(s) && (
          <Button variant="default" onClick={() => withReason('failed')}>
            {t('referrals.fail')}
          </Button>
        )}
        <Button variant="default" color="red.9" onClick={() => withReason('cancelled')}>
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

/** The school may cancel a referral it sent, with a reason (the family moved, care found elsewhere). */
export function SchoolCancel({ view, onDone }: { view: ReferralView; onDone: () => void }) {
  const { t } = useTranslation();
  const move = useMove(view.id, onDone);
  const [reason, setReason] = useState('');
  if (closed.has(view.status)) return null;
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

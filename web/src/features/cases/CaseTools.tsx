import { Alert, Anchor, Button, Group, Radio, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { childAbuseHotline, guardianMethods, handoffOutcomes, handoffTargets, mandatoryAgencies } from '../../../../src/data/cases.values';
import { api } from '../../api';
import { useWhen } from '../../ui/dates';
import { actorWords } from '../../ui/labels';
import { EmergencyAsqForm } from '../screening/EmergencyAsqForm';
import { Latest, ToolForm, type ToolProps } from './ToolForm';

/**
 * The guardian notice: who was told, or a reason not to that an administrator confirms. With a high
 * risk it is due the same school day, so the deadline (and lateness) is shown above the form.
 */
export function GuardianNoticeForm({ view, onDone }: ToolProps) {
  const { t } = useTranslation();
  const [notified, setNotified] = useState('yes');
  const [f, setF] = useState({ guardianName: '', method: 'phone', at: '', response: '', reason: '' });
  const pending = view.records.filter((r) => r.kind === 'guardian_notice').at(-1);
  const confirm = useMutation({ mutationFn: () => api('POST', `/api/v1/cases/${view.id}/guardian-notices/confirm`), onSuccess: onDone });
  const waiting = pending?.content.notified === false && !pending.content.confirmedBy;
  const duty = view.tasks.find((task) => task.kind === 'guardian_notice' && !task.doneAt);
  const { when, instant } = useWhen();
  const deadline = duty ? when(duty.hardDeadlineAt ?? duty.dueAt) : '';
  return (
    <Stack>
      {duty && (
        <Alert
          color={duty.state === 'overdue' ? 'red.9' : '#8a4b00'}
          variant="outline"
          title={t(duty.state === 'overdue' ? 'cases.guardian.overdue' : 'cases.guardian.due')}
        >
          {t('cases.guardian.deadline', { when: deadline })}
        </Alert>
      )}
      {waiting && (
        <Alert variant="outline" color="#8a4b00" title={t('cases.guardian.waiting')}>
          <Text size="sm">{String(pending?.content.reason ?? '')}</Text>
          {view.abilities.confirmWaiver && (
            <Button mt="xs" size="xs" onClick={() => confirm.mutate()}>
              {t('cases.guardian.confirm')}
            </Button>
          )}
        </Alert>
      )}
      <ToolForm
        view={view}
        onDone={onDone}
        path="guardian-notices"
        submit={t('cases.guardian.save')}
        body={() =>
          notified === 'yes'
            ? { notified: true, guardianName: f.guardianName, method: f.method, at: instant(f.at), response: f.response || undefined }
            : { notified: false, reason: f.reason }
        }
      >
        <Latest view={view} kind="guardian_notice" />
        <Radio.Group label={t('cases.guardian.told')} value={notified} onChange={setNotified}>
          <Group mt={4}>
            <Radio value="yes" label={t('cases.guardian.yes')} />
            <Radio value="no" label={t('cases.guardian.no')} />
          </Group>
        </Radio.Group>
        {notified === 'yes' ? (
          <>
            <TextInput label={t('cases.guardian.who')} value={f.guardianName} onChange={(e) => setF({ ...f, guardianName: e.currentTarget.value })} required />
            <Select
              label={t('cases.guardian.how')}
              data={guardianMethods.map((m) => ({ value: m, label: t(`cases.methods.${m}`) }))}
              value={f.method}
              onChange={(v) => v && setF({ ...f, method: v })}
              allowDeselect={false}
            />
            <TextInput
              type="datetime-local"
              label={t('cases.guardian.when')}
              value={f.at}
              onChange={(e) => setF({ ...f, at: e.currentTarget.value })}
              required
            />
            <Textarea label={t('cases.guardian.response')} value={f.response} onChange={(e) => setF({ ...f, response: e.currentTarget.value })} autosize />
          </>
        ) : (
          <Textarea label={t('cases.guardian.reason')} value={f.reason} onChange={(e) => setF({ ...f, reason: e.currentTarget.value })} required autosize />
        )}
      </ToolForm>
    </Stack>
  );
}

/** The duty to report suspected abuse (C.R.S. 19-3-304): due now, 24 hours at most. */
export function MandatoryReportTool({ view, onDone }: ToolProps) {
  const { t } = useTranslation();
  const { when, instant } = useWhen();
  const duty = view.tasks.find((task) => task.kind === 'mandatory_report' && !task.doneAt);
  const open = useMutation({ mutationFn: () => api('POST', `/api/v1/cases/${view.id}/mandatory-report-duty`), onSuccess: onDone });
  const [f, setF] = useState({ agency: 'state_hotline', reportedAt: '', referenceNumber: '', summary: '' });
  return (
    <Stack>
      <Text>
        {t('cases.mandatory.hotline')}{' '}
        <Anchor href={`tel:${childAbuseHotline.tel}`} underline="always">
          {childAbuseHotline.display}
        </Anchor>
        . {t('cases.mandatory.or')}
      </Text>
      {duty ? (
        <Alert color="red.9" variant="outline" title={t('cases.mandatory.outstanding')}>
          {t(duty.state === 'overdue' ? 'cases.mandatory.late' : 'cases.mandatory.deadline', {
            when: when(duty.hardDeadlineAt ?? duty.dueAt),
          })}
        </Alert>
      ) : (
        view.status !== 'closed' && (
          <Button variant="default" onClick={() => open.mutate()} loading={open.isPending} w="fit-content">
            {t('cases.mandatory.suspect')}
          </Button>
        )
      )}
      {open.error && (
        <Alert color="red" role="alert">
          {open.error.message}
        </Alert>
      )}
      {view.records
        .filter((r) => r.kind === 'mandatory_report')
        .map((r) => (
          <Text key={r.id} size="sm">
            {r.restricted
              ? t('cases.mandatory.restricted', { who: actorWords(t, r.createdBy) })
              : `${t(`cases.agencies.${String(r.content.agency)}`)} · ${String(r.content.referenceNumber ?? '')} · ${String(r.content.summary)}`}
          </Text>
        ))}
      {duty && (
        <ToolForm
          view={view}
          onDone={onDone}
          path="mandatory-reports"
          submit={t('cases.mandatory.save')}
          body={() => ({ ...f, reportedAt: instant(f.reportedAt), referenceNumber: f.referenceNumber || undefined })}
        >
          <Select
            label={t('cases.mandatory.agency')}
            data={mandatoryAgencies.map((a) => ({ value: a, label: t(`cases.agencies.${a}`) }))}
            value={f.agency}
            onChange={(v) => v && setF({ ...f, agency: v })}
            allowDeselect={false}
          />
          <TextInput
            type="datetime-local"
            label={t('cases.mandatory.when')}
            value={f.reportedAt}
            onChange={(e) => setF({ ...f, reportedAt: e.currentTarget.value })}
            required
          />
          <TextInput
            label={t('cases.mandatory.reference')}
            value={f.referenceNumber}
            onChange={(e) => setF({ ...f, referenceNumber: e.currentTarget.value })}
          />
          <Textarea label={t('cases.mandatory.summary')} value={f.summary} onChange={(e) => setF({ ...f, summary: e.currentTarget.value })} required autosize />
        </ToolForm>
      )}
    </Stack>
  );
}

export function HandoffForm({ view, onDone }: ToolProps) {
  const { t } = useTranslation();
  const { instant } = useWhen();
  const [f, setF] = useState({ target: 'colorado_crisis_services', at: '', outcome: 'connected', note: '' });
  return (
    <ToolForm
      view={view}
      onDone={onDone}
      path="handoffs"
      submit={t('cases.handoff.save')}
      body={() => ({ ...f, at: instant(f.at), note: f.note || undefined })}
    >
      <Latest view={view} kind="handoff" />
      <Select
        label={t('cases.handoff.to')}
        data={handoffTargets.map((v) => ({ value: v, label: t(`cases.handoff.targets.${v}`) }))}
        value={f.target}
        onChange={(v) => v && setF({ ...f, target: v })}
        allowDeselect={false}
      />
      <TextInput type="datetime-local" label={t('cases.handoff.when')} value={f.at} onChange={(e) => setF({ ...f, at: e.currentTarget.value })} required />
      <Select
        label={t('cases.handoff.outcome')}
        data={handoffOutcomes.map((v) => ({ value: v, label: t(`cases.handoff.outcomes.${v}`) }))}
        value={f.outcome}
        onChange={(v) => v && setF({ ...f, outcome: v })}
        allowDeselect={false}
      />
      <Textarea label={t('cases.handoff.note')} value={f.note} onChange={(e) => setF({ ...f, note: e.currentTarget.value })} autosize />
    </ToolForm>
  );
}

/** The ASQ given inside the case (no automatic guardian e-mail: the case records that itself). */
export function CaseAsq({ caseId, onDone }: { caseId: string; onDone: () => void }) {
  return <EmergencyAsqForm postTo={`/api/v1/cases/${caseId}/screenings`} onRecorded={onDone} />;
}

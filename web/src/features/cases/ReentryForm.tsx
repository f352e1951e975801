import { Checkbox, MultiSelect, Select, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffList } from '../../../../src/features/cases/cases.schema';
import { api } from '../../api';
import { useWhen } from '../../ui/dates';
import { Latest, lines, ToolForm, type ToolProps } from './ToolForm';

/**
 * The re-entry plan. The meeting is on or before the return date (the server refuses otherwise and
 * says why); the summary for teachers reaches only the staff named here, the point person and the
 * crisis team, because teachers get need-to-know only.
 */
export function ReentryForm({ view, onDone }: ToolProps) {
  const { t } = useTranslation();
  const { instant } = useWhen();
  const [f, setF] = useState({
    returnDate: '',
    releaseOfInformationAt: '',
    meetingAt: '',
    participants: '',
    safetyPlanReviewed: false,
    supports: '',
    pointPersonUserId: view.assigned[0]?.id ?? '',
    consider504Referral: false,
    teacherSummary: '',
    namedStaffUserIds: [] as string[],
  });
  const staff = useQuery({
    queryKey: ['case', view.id, 'staff-to-name'],
    queryFn: () => api<StaffList>('GET', `/api/v1/cases/${view.id}/staff-to-name`),
    enabled: view.status !== 'closed',
  });
  return (
    <ToolForm
      view={view}
      onDone={onDone}
      path="reentry-plans"
      submit={t('cases.reentry.save')}
      body={() => ({
        ...f,
        releaseOfInformationAt: f.releaseOfInformationAt || undefined,
        meetingAt: instant(f.meetingAt),
        participants: lines(f.participants),
      })}
    >
      <Latest view={view} kind="reentry_plan" />
      <TextInput
        type="date"
        label={t('cases.reentry.returnDate')}
        value={f.returnDate}
        onChange={(e) => setF({ ...f, returnDate: e.currentTarget.value })}
        required
      />
      <TextInput
        type="date"
        label={t('cases.reentry.roi')}
        value={f.releaseOfInformationAt}
        onChange={(e) => setF({ ...f, releaseOfInformationAt: e.currentTarget.value })}
      />
      <TextInput
        type="datetime-local"
        label={t('cases.reentry.meeting')}
        description={t('cases.reentry.meetingHelp')}
        value={f.meetingAt}
        onChange={(e) => setF({ ...f, meetingAt: e.currentTarget.value })}
        required
      />
      <Textarea
        label={t('cases.reentry.participants')}
        description={t('cases.plan.onePerLine')}
        value={f.participants}
        onChange={(e) => setF({ ...f, participants: e.currentTarget.value })}
        required
        autosize
      />
      <Checkbox
        label={t('cases.reentry.planReviewed')}
        checked={f.safetyPlanReviewed}
        onChange={(e) => setF({ ...f, safetyPlanReviewed: e.currentTarget.checked })}
      />
      <Textarea label={t('cases.reentry.supports')} value={f.supports} onChange={(e) => setF({ ...f, supports: e.currentTarget.value })} required autosize />
      <Select
        label={t('cases.reentry.pointPerson')}
        data={view.assigned.map((a) => ({ value: a.id, label: a.name }))}
        value={f.pointPersonUserId}
        onChange={(v) => v && setF({ ...f, pointPersonUserId: v })}
        allowDeselect={false}
      />
      <Checkbox
        label={t('cases.reentry.consider504')}
        checked={f.consider504Referral}
        onChange={(e) => setF({ ...f, consider504Referral: e.currentTarget.checked })}
      />
      <Textarea
        label={t('cases.reentry.teacherSummary')}
        description={t('cases.reentry.teacherHelpNamed')}
        value={f.teacherSummary}
        onChange={(e) => setF({ ...f, teacherSummary: e.currentTarget.value })}
        required
        autosize
      />
      <MultiSelect
        label={t('cases.reentry.namedStaff')}
        description={t('cases.reentry.namedStaffHelp')}
        data={(staff.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
        value={f.namedStaffUserIds}
        onChange={(namedStaffUserIds) => setF({ ...f, namedStaffUserIds })}
        searchable
        clearable
      />
    </ToolForm>
  );
}

import type { TFunction } from 'i18next';
import { dayLabel } from '../../ui/labels';
import type { CaseView } from './CasePage';

type Words = NonNullable<CaseView['events'][number]['words']>;
type Task = Pick<CaseView['tasks'][number], 'kind' | 'title' | 'words'>;

const text = (values: Words['values'], key: string) => String(values[key] ?? '');
const number = (values: Words['values'], key: string) => Number(values[key] ?? 0);

/** A re-entry task's title from its parts (case-words.rules.ts), or null for a code this app does not know. */
function generatedTitle(t: TFunction, code: string, values: Words['values'], language: string): string | null {
  switch (code) {
    case 'first_check_in':
      return t('cases.taskTitles.first_check_in');
    case 'check_in':
      return t('cases.taskTitles.check_in', { day: number(values, 'day') });
    case 'last_check_in':
      return t('cases.taskTitles.last_check_in', { day: number(values, 'day'), windowDays: number(values, 'windowDays') });
    case 'reentry_meeting':
      return t('cases.taskTitles.reentry_meeting', { date: dayLabel(text(values, 'returnDate'), language) });
    default:
      return null;
  }
}

/**
 * A task's title in the reader's words: a duty by its kind, a re-entry task from its parts, and a
 * title a person typed as they typed it.
 */
export function taskTitle(t: TFunction, task: Task, language: string): string {
  if (task.kind === 'mandatory_report' || task.kind === 'guardian_notice') return t(`cases.taskTitles.${task.kind}`);
  return (task.words && generatedTitle(t, task.words.code, task.words.values, language)) ?? task.title;
}

/**
 * A task that is done, said as done: "Guardian notice recorded", "Checked in with the student on
 * their first day back". A title that is already a name ("Re-entry check-in, day 7"), and one a
 * person typed, read the same done or not; the "Done" beside it says the rest.
 */
export function doneTaskTitle(t: TFunction, task: Task, language: string): string {
  if (task.kind === 'mandatory_report' || task.kind === 'guardian_notice') return t(`cases.taskTitlesDone.${task.kind}`);
  if (task.words?.code === 'first_check_in') return t('cases.taskTitlesDone.first_check_in');
  if (task.words?.code === 'reentry_meeting')
    return t('cases.taskTitlesDone.reentry_meeting', { date: dayLabel(text(task.words.values, 'returnDate'), language) });
  return taskTitle(t, task, language);
}

/**
 * A timeline entry in the reader's words. The server reads back the sentences Haven wrote
 * (`words`); an entry it could not read, or a code this app does not know, is shown as stored.
 * Names, reasons and summaries people typed stay as they typed them.
 */
export function caseEventText(t: TFunction, event: { summary: string; words: Words | null }, language: string, when: (iso: string) => string): string {
  if (!event.words) return event.summary;
  const { code, values } = event.words;
  const v = (key: string) => text(values, key);
  const status = (key: string) => t(`caseStatuses.${v(key)}`);
  const level = (key: string) => t(`riskLevels.${v(key)}`);
  switch (code) {
    case 'opened':
      return number(values, 'reports') > 0
        ? t('cases.events.openedFrom', { type: t(`caseTypes.${v('type')}`), count: number(values, 'reports') })
        : t('cases.events.opened', { type: t(`caseTypes.${v('type')}`) });
    case 'status':
      return t('cases.events.status', { from: status('from'), to: status('to') });
    case 'status_because':
      return t('cases.events.statusBecause', { from: status('from'), to: status('to'), reason: v('reason') });
    case 'closed': {
      const closed = t('cases.events.closed', { from: status('from'), outcome: t(`caseSummary.outcomes.${v('outcome')}`), summary: v('summary') });
      const cancelled = number(values, 'cancelled');
      return cancelled > 0 ? `${closed} ${t('cases.events.cancelled', { count: cancelled })}` : closed;
    }
    case 'student_identified':
      return t('cases.events.studentIdentified', { student: v('student'), localId: v('localId') });
    case 'break_glass':
      return t('cases.events.breakGlass', { reason: v('reason') });
    case 'screening':
      return t('cases.events.screening', { instrument: v('instrument'), band: t(`bands.${v('band')}`, { defaultValue: v('band').replaceAll('_', ' ') }) });
    case 'suicide_assessment':
      return t('cases.events.suicideAssessment', { level: level('level') });
    case 'suicide_assessment_differs':
      return t('cases.events.suicideAssessmentDiffers', { level: level('level'), suggested: level('suggested') });
    case 'threat_transient':
      return t('cases.events.threatTransient', { level: level('level') });
    case 'threat_substantive':
      return t('cases.events.threatSubstantive', { severity: t(`cases.threat.severities.${v('severity')}`), level: level('level') });
    case 'safety_plan':
      return t('cases.events.safetyPlan');
    case 'safety_plan_incomplete': {
      const missing = Array.isArray(values.missing) ? values.missing : [];
      const sections = new Intl.ListFormat(language, { type: 'conjunction' }).format(missing.map((s) => t(`cases.plan.required.${s}`)));
      return t('cases.events.safetyPlanIncomplete', { sections });
    }
    case 'safety_plan_shared':
      return t('cases.events.safetyPlanShared', { version: number(values, 'version'), guardian: v('guardian'), method: t(`cases.methods.${v('method')}`) });
    case 'guardian_notified':
      return t('cases.events.guardianNotified', { guardian: v('guardian'), method: t(`cases.methods.${v('method')}`) });
    case 'guardian_reason_documented':
      return t('cases.events.guardianReasonDocumented');
    case 'guardian_reason_confirmed':
      return t('cases.events.guardianReasonConfirmed', { who: v('who') });
    case 'mandatory_report':
      return t('cases.events.mandatoryReport', { agency: t(`cases.agencies.${v('agency')}`) });
    case 'mandatory_report_due':
      return t('cases.events.mandatoryReportDue', { deadline: when(v('deadline')), startedAt: when(v('startedAt')) });
    case 'mandatory_report_overdue':
      return t('cases.events.mandatoryReportOverdue');
    case 'guardian_notice_due':
      return t('cases.events.guardianNoticeDue', { deadline: when(v('deadline')) });
    case 'guardian_notice_overdue':
      return t('cases.events.guardianNoticeOverdue');
    case 'reentry_plan':
    case 'reentry_plan_replaced':
      return t(code === 'reentry_plan' ? 'cases.events.reentryPlan' : 'cases.events.reentryPlanReplaced', {
        returnDate: dayLabel(v('returnDate'), language),
        count: number(values, 'checkIns'),
        lastDate: dayLabel(v('lastDate'), language),
        lastDay: number(values, 'lastDay'),
      });
    case 'handoff':
      return t('cases.events.handoff', { target: t(`cases.handoff.targets.${v('target')}`), outcome: t(`cases.handoff.outcomes.${v('outcome')}`) });
    case 'task_added':
      return t('cases.events.taskAdded', { title: v('title') });
    case 'task_done': {
      const title = (values.task && generatedTitle(t, v('task'), values, language)) || v('title');
      return values.note ? t('cases.events.taskDoneNote', { title, note: v('note') }) : t('cases.events.taskDone', { title });
    }
    default:
      return event.summary;
  }
}

import {
  caseOutcomes,
  caseStatuses,
  caseTypes,
  guardianMethods,
  handoffOutcomes,
  handoffTargets,
  mandatoryAgencies,
  riskLevels,
  threatSeverities,
} from '../../data/cases.values.ts';
import { instantAt, wallTime } from '../../platform/time-zone.ts';
import { type PlanSection, planSectionNames } from './case.rules.ts';

/**
 * The timeline and the generated task titles of a case, as codes and values the staff app says in
 * the reader's language. Haven stores them as English sentences (case_events.summary,
 * case_tasks.title); these rules read the sentences Haven writes back into their parts. A sentence
 * they cannot read (a new one, or one typed by a person) has no words and is shown as stored.
 */
export type Words = { code: string; values: Record<string, string | number | string[]> };

/** A value written with its underscores as spaces ("safety planning"), back to its code, if it is one of `codes`. */
function codeOf<T extends string>(codes: readonly T[], written: string | undefined): T | undefined {
  const code = written?.replaceAll(' ', '_');
  return codes.find((c) => c === code);
}

const firstCheckIn = 'Check in with the student on their first day back';
const checkIn = /^Re-entry check-in, day (\d+)(?:: the end of the first (\d+) days)?$/;
const meeting = /^Hold the re-entry meeting \(on or before the return to school, (\d{4}-\d{2}-\d{2})\)$/;

/**
 * A re-entry task's title (reentry.rules.ts `checkInTitle`, reentry.service.ts) in parts; null for a
 * title a person typed. Duties (mandatory report, guardian notice) are named by their kind.
 */
export function readTaskTitle(title: string): Words | null {
  if (title === firstCheckIn) return { code: 'first_check_in', values: {} };
  const check = checkIn.exec(title);
  if (check?.[2]) return { code: 'last_check_in', values: { day: Number(check[1]), windowDays: Number(check[2]) } };
  if (check) return { code: 'check_in', values: { day: Number(check[1]) } };
  const held = meeting.exec(title);
  if (held) return { code: 'reentry_meeting', values: { returnDate: held[1] as string } };
  return null;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const clockTime = /^[A-Z][a-z]{2}, ([A-Z][a-z]{2}) (\d{1,2}), (\d{1,2}):(\d{2})[\s\u202f](AM|PM) .+$/;

/**
 * A time the duties wrote on the district's clock ("Mon, Dec 7, 3:00 PM MST", no year) as an
 * instant: the year is the event's, or the next one when the month is earlier (a deadline is
 * never more than days after the event that set it).
 */
function readClockTime(written: string, event: { at: Date; timeZone: string }): string | undefined {
  const match = clockTime.exec(written);
  if (!match) return undefined;
  const month = months.indexOf(match[1] as string) + 1;
  if (month === 0) return undefined;
  const seen = wallTime(event.at, event.timeZone);
  const year = month < seen.month ? seen.year + 1 : seen.year;
  const hour = (Number(match[3]) % 12) + (match[5] === 'PM' ? 12 : 0);
  return instantAt(year, month, Number(match[2]), hour * 60 + Number(match[4]), event.timeZone).toISOString();
}

const planSections = Object.keys(planSectionNames) as PlanSection[];
const sectionOf = (name: string) => planSections.find((s) => planSectionNames[s] === name);

type Reader = (match: RegExpExecArray, event: { at: Date; timeZone: string }) => Words | null;

/** Each sentence Haven writes on a case's timeline, and how to read it back. The first that reads wins. */
const sentences: { kinds: readonly string[]; pattern: RegExp; read: Reader }[] = [
  {
    kinds: ['opened'],
    pattern: /^Case opened \(([a-z ]+)\)(?: from (\d+) report\(s\))?\.$/,
    read: (m) => {
      const type = codeOf(caseTypes, m[1]);
      return type ? { code: 'opened', values: { type, reports: Number(m[2] ?? 0) } } : null;
    },
  },
  {
    kinds: ['close'],
    pattern: /^Status: ([a-z ]+) → closed\. Outcome: ([a-z ]+)\. ([\s\S]*?)(?: (\d+) open task\(s\) cancelled: [\s\S]*\.)?$/,
    read: (m) => {
      const [from, outcome] = [codeOf(caseStatuses, m[1]), codeOf(caseOutcomes, m[2])];
      return from && outcome ? { code: 'closed', values: { from, outcome, summary: m[3] as string, cancelled: Number(m[4] ?? 0) } } : null;
    },
  },
  {
    kinds: ['start_assessing', 'start_safety_planning', 'start_monitoring', 'close', 'reopen'],
    pattern: /^Status: ([a-z ]+) → ([a-z ]+?)(?: \(([\s\S]*)\))?\.$/,
    read: (m) => {
      const [from, to] = [codeOf(caseStatuses, m[1]), codeOf(caseStatuses, m[2])];
      if (!from || !to) return null;
      return { code: m[3] ? 'status_because' : 'status', values: { from, to, ...(m[3] ? { reason: m[3] } : {}) } };
    },
  },
  {
    kinds: ['student_identified'],
    pattern: /^Student identified: ([\s\S]+) \(([^()]*)\)\.$/,
    read: (m) => ({ code: 'student_identified', values: { student: m[1] as string, localId: m[2] as string } }),
  },
  {
    kinds: ['break_glass'],
    pattern: /^Broke the glass to see this case: ([\s\S]*)$/,
    read: (m) => ({ code: 'break_glass', values: { reason: m[1] as string } }),
  },
  {
    kinds: ['screening'],
    pattern: /^([A-Z0-9-]+) given in the case: ([a-z0-9 ]+)\.$/,
    read: (m) => ({ code: 'screening', values: { instrument: m[1] as string, band: (m[2] as string).replaceAll(' ', '_') } }),
  },
  {
    kinds: ['suicide_assessment'],
    pattern: /^Suicide risk assessment \(SAFE-T\): ([a-z]+)(?: \(Haven suggested ([a-z]+)\))?\.$/,
    read: (m): Words | null => {
      const [level, suggested] = [codeOf(riskLevels, m[1]), codeOf(riskLevels, m[2])];
      if (!level) return null;
      return suggested ? { code: 'suicide_assessment_differs', values: { level, suggested } } : { code: 'suicide_assessment', values: { level } };
    },
  },
  {
    kinds: ['threat_assessment'],
    pattern: /^Threat assessment: (transient|substantive \(([a-z ]+)\)), ([a-z]+)\.$/,
    read: (m): Words | null => {
      const level = codeOf(riskLevels, m[3]);
      if (!level) return null;
      if (m[1] === 'transient') return { code: 'threat_transient', values: { level } };
      const severity = codeOf(threatSeverities, m[2]);
      return severity ? { code: 'threat_substantive', values: { severity, level } } : null;
    },
  },
  {
    kinds: ['safety_plan'],
    pattern: /^Safety plan (?:made with the student \(new version\)|saved with the student \(new version\); still empty: ([a-z ,]+))\.$/,
    read: (m): Words | null => {
      if (!m[1]) return { code: 'safety_plan', values: {} };
      const missing = m[1].split(', ').map(sectionOf);
      return missing.every(Boolean) ? { code: 'safety_plan_incomplete', values: { missing: missing as PlanSection[] } } : null;
    },
  },
  {
    kinds: ['safety_plan_shared'],
    pattern: /^Safety plan version (\d+) shared with ([\s\S]+) \(([a-z_]+)\)\.$/,
    read: (m) => {
      const method = codeOf(guardianMethods, m[3]);
      return method ? { code: 'safety_plan_shared', values: { version: Number(m[1]), guardian: m[2] as string, method } } : null;
    },
  },
  {
    kinds: ['guardian_notice'],
    pattern: /^Guardian notified: ([\s\S]+) by ([a-z_]+)\.$/,
    read: (m) => {
      const method = codeOf(guardianMethods, m[2]);
      return method ? { code: 'guardian_notified', values: { guardian: m[1] as string, method } } : null;
    },
  },
  {
    kinds: ['guardian_notice'],
    pattern: /^A reason not to notify the guardian was documented; an administrator must confirm it\.$/,
    read: () => ({ code: 'guardian_reason_documented', values: {} }),
  },
  {
    kinds: ['guardian_notice'],
    pattern: /^The reason not to notify the guardian was confirmed by ([\s\S]+)\.$/,
    read: (m) => ({ code: 'guardian_reason_confirmed', values: { who: m[1] as string } }),
  },
  {
    kinds: ['mandatory_report'],
    pattern: /^Mandatory report made \(([a-z ]+)\)\.$/,
    read: (m) => {
      const agency = codeOf(mandatoryAgencies, m[1]);
      return agency ? { code: 'mandatory_report', values: { agency } } : null;
    },
  },
  {
    kinds: ['mandatory_report_due'],
    pattern:
      /^Abuse or neglect is suspected: a mandatory report is due now, and by (.+) at the latest \(24 hours from when the information first reached Haven, (.+)\)\.$/,
    read: (m, event) => {
      const [deadline, startedAt] = [readClockTime(m[1] as string, event), readClockTime(m[2] as string, event)];
      return deadline && startedAt ? { code: 'mandatory_report_due', values: { deadline, startedAt } } : null;
    },
  },
  {
    kinds: ['mandatory_report_overdue'],
    pattern: /^The mandatory report is past its 24-hour deadline; administrators were alerted\.$/,
    read: () => ({ code: 'mandatory_report_overdue', values: {} }),
  },
  {
    kinds: ['guardian_notice_due'],
    pattern:
      /^The suicide risk is high: tell the guardian \(or document a reason not to, for an administrator to confirm\) by (.+), the end of the school day\.$/,
    read: (m, event) => {
      const deadline = readClockTime(m[1] as string, event);
      return deadline ? { code: 'guardian_notice_due', values: { deadline } } : null;
    },
  },
  {
    kinds: ['guardian_notice_overdue'],
    pattern: /^The guardian was not told \(nor a reason not to confirmed\) by the end of the school day; administrators were alerted\.$/,
    read: () => ({ code: 'guardian_notice_overdue', values: {} }),
  },
  {
    kinds: ['reentry_plan'],
    pattern:
      /^Re-entry plan: back on (\d{4}-\d{2}-\d{2}); (\d+) check-ins on school days through (\d{4}-\d{2}-\d{2}) \(day (\d+)\)(, replacing the earlier schedule)?\.$/,
    read: (m) => ({
      code: m[5] ? 'reentry_plan_replaced' : 'reentry_plan',
      values: { returnDate: m[1] as string, checkIns: Number(m[2]), lastDate: m[3] as string, lastDay: Number(m[4]) },
    }),
  },
  {
    kinds: ['handoff'],
    pattern: /^Warm hand-off to ([a-z0-9 ]+): ([a-z_]+)\.$/,
    read: (m) => {
      const [target, outcome] = [codeOf(handoffTargets, m[1]), codeOf(handoffOutcomes, m[2])];
      return target && outcome ? { code: 'handoff', values: { target, outcome } } : null;
    },
  },
  {
    kinds: ['task_added'],
    pattern: /^Task: ([\s\S]*)\.$/,
    read: (m) => ({ code: 'task_added', values: { title: m[1] as string } }),
  },
  {
    kinds: ['task_done'],
    pattern: /^Done: ([\s\S]*)\.$/,
    read: (m) => ({ code: 'task_done', values: doneTask(m[1] as string) }),
  },
];

/** A generated title at the start of "Done: ...", then the note, if any, in brackets. */
const doneGenerated =
  /^(Check in with the student on their first day back|Re-entry check-in, day \d+(?:: the end of the first \d+ days)?|Hold the re-entry meeting \(on or before the return to school, \d{4}-\d{2}-\d{2}\))(?: \(([\s\S]*)\))?$/;

/**
 * "Done: <title> (<note>)": a re-entry title is read first (the meeting's has its own brackets),
 * then a note in the last brackets. A re-entry title's parts come along, so it reads in words too.
 */
function doneTask(rest: string): Words['values'] {
  const generated = doneGenerated.exec(rest);
  const words = generated ? readTaskTitle(generated[1] as string) : null;
  if (generated && words) return { title: generated[1] as string, ...(generated[2] ? { note: generated[2] } : {}), task: words.code, ...words.values };
  const noted = /^([\s\S]*?) \(([^()]*)\)$/.exec(rest);
  return noted ? { title: noted[1] as string, note: noted[2] as string } : { title: rest };
}

/** An event of a case's timeline in words, or null when its sentence is not one Haven writes. */
export function readCaseEvent(event: { kind: string; summary: string; at: Date; timeZone: string }): Words | null {
  for (const sentence of sentences) {
    if (!sentence.kinds.includes(event.kind)) continue;
    const match = sentence.pattern.exec(event.summary);
    const words = match ? sentence.read(match, event) : null;
    if (words) return words;
  }
  return null;
}

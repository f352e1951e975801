import type { caseOutcomes, recordKinds, taskKinds, threatClassifications, threatSeverities } from '../../data/cases.values.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { taskState } from './case.deadlines.ts';
import { type CaseFacts, guardianNoticeRequired, missingThreatActions, type PlanSection, type RiskLevel, type ThreatAction } from './case.rules.ts';
import { type GuardianStatus, leftSchoolForCare, type MandatoryStatus, type NextStep, nextSteps } from './next-step.rules.ts';

/**
 * The case at a glance, for the top of the case page: what a crisis-team member picking up a phone
 * mid-incident needs before anything else. Pure (no I/O, no Date.now()): the service passes the
 * records and tasks it read, the time and the district's time zone. Everything here is also on the
 * page below, in detail; this only reads the latest version of each record and the open duties.
 */

export type RecordRow = {
  kind: (typeof recordKinds)[number];
  version: number;
  createdAt: Date;
  createdBy: string;
  /** Blanked by the service when the reader may not see it (a mandatory report's content). */
  content: Record<string, unknown>;
};
export type TaskRow = {
  id: string;
  kind: (typeof taskKinds)[number];
  title: string;
  dueAt: Date;
  hardDeadlineAt: Date | null;
  doneAt: Date | null;
};

/** Which version, recorded by whom (name and roles) and when. */
type Recorded = { version: number; by: string; at: string };

export type RiskSummary = Recorded & {
  /** The clinician's level: the one that counts. */
  level: RiskLevel;
  /** Haven's suggestion, shown beside the level only when the clinician chose differently. */
  suggestedLevel: RiskLevel | null;
  differs: boolean;
  rationale: string | null;
  riskFactors: string[];
  protectiveFactors: string[];
};
export type ThreatSummary = Recorded & {
  classification: (typeof threatClassifications)[number];
  severity: (typeof threatSeverities)[number] | null;
  level: RiskLevel | null;
  missingActions: ThreatAction[];
};
export type PlanSummary =
  | { status: 'none' }
  | (Recorded & { status: 'complete' | 'incomplete'; gaps: PlanSection[]; madeWithStudent: boolean; language: string });
export type GuardianSummary =
  | (Recorded & { status: 'notified'; guardianName: string; method: string; toldAt: string | null })
  | (Recorded & { status: 'waived'; confirmedBy: string; confirmedAt: string | null })
  | (Recorded & { status: 'awaiting_confirmation'; deadline: string | null })
  | { status: 'due' | 'overdue'; deadline: string }
  | { status: 'required' | 'not_required' };
export type MandatorySummary =
  | { status: 'due' | 'overdue'; deadline: string }
  | (Recorded & { status: 'recorded'; agency: string | null })
  | { status: 'not_required' };
export type CheckInSummary = {
  dueAt: string;
  /** The district's calendar day (YYYY-MM-DD) of the check-in. */
  date: string;
  /** Days after the return to school, when a re-entry plan gives the return date. */
  day: number | null;
  overdue: boolean;
  /** Open check-ins, this one included. */
  remaining: number;
};
export type ClosureSummary = Recorded & { outcome: (typeof caseOutcomes)[number]; summary: string; cancelledTasks: number };

export type CaseOverview = {
  risk: RiskSummary | null;
  threat: ThreatSummary | null;
  safetyPlan: PlanSummary;
  guardian: GuardianSummary;
  mandatoryReport: MandatorySummary;
  nextCheckIn: CheckInSummary | null;
  closure: ClosureSummary | null;
  nextSteps: NextStep[];
};

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const levelOf = (v: unknown): RiskLevel | null => (v === 'low' || v === 'moderate' || v === 'high' ? v : null);
const recorded = (r: RecordRow): Recorded => ({ version: r.version, by: r.createdBy, at: r.createdAt.toISOString() });
const dayMs = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / dayMs;

/** The latest version of each kind (the highest version number; records are never edited). */
export function latestRecords(records: readonly RecordRow[]): Partial<Record<RecordRow['kind'], RecordRow>> {
  const latest: Partial<Record<RecordRow['kind'], RecordRow>> = {};
  for (const r of records) {
    const seen = latest[r.kind];
    if (!seen || r.version > seen.version) latest[r.kind] = r;
  }
  return latest;
}

/**
 * The tasks that closings cancelled (each closure record lists them). The task table has no
 * cancelled state, so without this a cancelled check-in would read as "done".
 */
export function cancelledTaskIds(records: readonly Pick<RecordRow, 'kind' | 'content'>[]): Set<string> {
  return new Set(records.filter((r) => r.kind === 'closure').flatMap((r) => strings(r.content.cancelledTaskIds)));
}

/**
 * Where the guardian notice stands. A recorded notice wins (told; or a reason not to, confirmed or
 * still waiting for an administrator); otherwise the open duty's clock (due today, or late); else
 * "required" when closing would ask for it, and "not required" when it would not.
 */
export function guardianSummary(notice: RecordRow | undefined, duty: TaskRow | undefined, facts: CaseFacts, now: Date): GuardianSummary {
  const deadline = duty ? (duty.hardDeadlineAt ?? duty.dueAt).toISOString() : null;
  if (notice?.content.notified === true)
    return {
      ...recorded(notice),
      status: 'notified',
      guardianName: text(notice.content.guardianName) ?? '',
      method: text(notice.content.method) ?? '',
      toldAt: text(notice.content.at),
    };
  if (notice && typeof notice.content.confirmedBy === 'string')
    return {
      ...recorded(notice),
      status: 'waived',
      confirmedBy: text(notice.content.confirmedByName) ?? '',
      confirmedAt: text(notice.content.confirmedAt),
    };
  if (notice) return { ...recorded(notice), status: 'awaiting_confirmation', deadline };
  if (duty && deadline) return { status: taskState(duty, now) === 'overdue' ? 'overdue' : 'due', deadline };
  return { status: guardianNoticeRequired(facts) ? 'required' : 'not_required' };
}

/** The mandatory report: an open duty (due now, or past its 24 hours) wins over an earlier report. */
export function mandatorySummary(report: RecordRow | undefined, duty: TaskRow | undefined, now: Date): MandatorySummary {
  if (duty) return { status: taskState(duty, now) === 'overdue' ? 'overdue' : 'due', deadline: (duty.hardDeadlineAt ?? duty.dueAt).toISOString() };
  if (report) return { ...recorded(report), status: 'recorded', agency: text(report.content.agency) };
  return { status: 'not_required' };
}

/** The earliest open check-in, with its day after the return to school (the re-entry plan's return date). */
export function nextCheckIn(tasks: readonly TaskRow[], reentry: RecordRow | undefined, now: Date, timeZone: string): CheckInSummary | null {
  const open = tasks.filter((t) => t.kind === 'check_in' && t.doneAt === null).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  const first = open[0];
  if (!first) return null;
  const date = districtDay(first.dueAt, timeZone);
  const back = text(reentry?.content.returnDate);
  const day = back && /^\d{4}-\d{2}-\d{2}$/.test(back) ? dayNumber(date) - dayNumber(back) : null;
  return {
    dueAt: first.dueAt.toISOString(),
    date,
    day: day !== null && Number.isFinite(day) ? day : null,
    overdue: taskState(first, now) === 'overdue',
    remaining: open.length,
  };
}

/** The case at a glance, and its next steps (next-step.rules.ts). */
export function caseOverview(input: { facts: CaseFacts; records: readonly RecordRow[]; tasks: readonly TaskRow[]; now: Date; timeZone: string }): CaseOverview {
  const { facts, records, tasks, now } = input;
  const latest = latestRecords(records);
  const openDuty = (kind: TaskRow['kind']) => tasks.find((t) => t.kind === kind && t.doneAt === null);
  const safet = latest.suicide_assessment;
  const level = safet ? levelOf(safet.content.level) : null;
  const risk: RiskSummary | null =
    safet && level
      ? {
          ...recorded(safet),
          level,
          suggestedLevel: levelOf(safet.content.suggestedLevel),
          differs: safet.content.differs === true,
          rationale: text(safet.content.rationale),
          riskFactors: strings(safet.content.riskFactors),
          protectiveFactors: strings(safet.content.protectiveFactors),
        }
      : null;
  const threatRecord = latest.threat_assessment;
  const threat: ThreatSummary | null =
    threatRecord && facts.threat
      ? {
          ...recorded(threatRecord),
          classification: facts.threat.classification,
          severity: facts.threat.severity,
          level: levelOf(threatRecord.content.level),
          missingActions: missingThreatActions(facts.threat, facts.guardianNotified),
        }
      : null;
  const plan = latest.safety_plan;
  const safetyPlan: PlanSummary =
    plan && facts.safetyPlanGaps
      ? {
          ...recorded(plan),
          status: facts.safetyPlanGaps.length === 0 ? 'complete' : 'incomplete',
          gaps: [...facts.safetyPlanGaps],
          madeWithStudent: plan.content.madeWithStudent === true,
          language: text(plan.content.language) ?? 'en',
        }
      : { status: 'none' };
  const guardian = guardianSummary(latest.guardian_notice, openDuty('guardian_notice'), facts, now);
  const mandatoryReport = mandatorySummary(latest.mandatory_report, openDuty('mandatory_report'), now);
  const checkIn = nextCheckIn(tasks, latest.reentry_plan, now, input.timeZone);
  const handoffs = records.filter((r) => r.kind === 'handoff').map((r) => r.content);
  const closing = facts.status === 'closed' ? latest.closure : undefined;
  const closure: ClosureSummary | null = closing
    ? {
        ...recorded(closing),
        outcome: closing.content.outcome as ClosureSummary['outcome'],
        summary: text(closing.content.summary) ?? '',
        cancelledTasks: strings(closing.content.cancelledTaskIds).length,
      }
    : null;
  return {
    risk,
    threat,
    safetyPlan,
    guardian,
    mandatoryReport,
    nextCheckIn: checkIn,
    closure,
    nextSteps: nextSteps({
      facts,
      guardian: guardian.status satisfies GuardianStatus,
      mandatoryReport: mandatoryReport.status satisfies MandatoryStatus,
      reentryPending: leftSchoolForCare(handoffs) && latest.reentry_plan === undefined,
      openCheckIns: checkIn?.remaining ?? 0,
    }),
  };
}

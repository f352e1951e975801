/** Pure rules about reports: follow-up codes, duplicate linking, throttled groups, what a reporter may see, when a report may close. */
import { carriesReportingDuty } from '../../data/reports.values.ts';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** A follow-up code from 60 random bits (12 symbols), shown as XXXX-XXXX-XXXX. */
export function formatFollowUpCode(random: Uint8Array): string {
  let bits = 0n;
  for (const byte of random.slice(0, 8)) bits = (bits << 8n) | BigInt(byte);
  bits >>= 4n; // 64 bits in, the top 60 used
  let code = '';
  for (let i = 0; i < 12; i++) {
    code += alphabet[Number(bits & 31n)];
    bits >>= 5n;
  }
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Reads a code as people type it: any case, spaces or dashes, O for 0 and I or L for 1. */
export function normalizeFollowUpCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{12}$/.test(compact)) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`;
}

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length >= 4),
  );
}

/** Jaccard similarity of the reports' words (0..1). */
export function similarity(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared += 1;
  return shared / (x.size + y.size - shared);
}

export const duplicateWindowHours = 72;

export type Comparable = { schoolId: string | null; aboutPerson: string | null; description: string; receivedAt: Date };

/**
 * Two reports belong to one incident when they arrive within 72 hours and either name the same
 * person, or concern the same school with similar words. They are linked, never merged or dropped:
 * a hoax can bring hundreds of reports, and one of them may be the real one.
 */
export function sameIncident(a: Comparable, b: Comparable): boolean {
  if (Math.abs(a.receivedAt.getTime() - b.receivedAt.getTime()) > duplicateWindowHours * 3_600_000) return false;
  const person = (p: string | null) => p?.trim().toLowerCase().replace(/\s+/g, ' ') || null;
  if (person(a.aboutPerson) && person(a.aboutPerson) === person(b.aboutPerson)) return true;
  return a.schoolId !== null && a.schoolId === b.schoolId && similarity(a.description, b.description) >= 0.5;
}

/** What the reporter sees: only whether someone is acting, never who or what was found. */
export function reporterStatus(report: { status: string; acknowledgedAt: Date | null }): 'received' | 'in_progress' | 'closed' {
  if (report.status === 'closed') return 'closed';
  return report.acknowledgedAt ? 'in_progress' : 'received';
}

/**
 * Throttled reports (sent over the per-address intake limit) are grouped for the team: within
 * this many minutes of a group's first report, later ones at the same place and urgency join it
 * instead of alerting one by one (decision 26).
 */
export const throttleGroupMinutes = 15;

export type Groupable = {
  id: string;
  schoolId: string | null;
  urgency: 'life_safety' | 'urgent' | 'routine';
  safetyFlag: boolean;
  throttled: boolean;
  receivedAt: Date;
};

/**
 * A life-safety report is never grouped: it alerts and escalates on its own, whatever the volume,
 * because it must reach a person now (decision 26). Only throttled reports are grouped at all.
 */
export function mayJoinThrottleGroup(report: Pick<Groupable, 'throttled' | 'urgency'>): boolean {
  return report.throttled && report.urgency !== 'life_safety';
}

/**
 * Reports in one group go to the same people on the same clock: same school (so the same team is
 * alerted and may see them), same urgency and same safety flag (so a group escalating only in
 * school hours never holds a report that must escalate around the clock).
 */
export function throttleGroupKey(report: Pick<Groupable, 'schoolId' | 'urgency' | 'safetyFlag'>): string {
  return `${report.schoolId ?? 'district'}|${report.urgency}|${report.safetyFlag}`;
}

/**
 * Which new reports of a district lead a group (they alert as usual) and which join a group
 * (no alert of their own), given each group still waiting for a person (`open`, by key).
 * A group takes newcomers for `throttleGroupMinutes` from its first report; after that, or
 * once someone acknowledged it (it is no longer in `open`), the next throttled report alerts.
 */
export function planThrottleGroups(batch: readonly Groupable[], open: ReadonlyMap<string, { id: string; receivedAt: Date }>): Map<string, string> {
  const leads = new Map(open);
  const joins = new Map<string, string>();
  for (const report of [...batch].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())) {
    if (!mayJoinThrottleGroup(report)) continue;
    const key = throttleGroupKey(report);
    const lead = leads.get(key);
    const within = lead && report.receivedAt.getTime() - lead.receivedAt.getTime() <= throttleGroupMinutes * 60_000;
    if (lead && within) joins.set(report.id, lead.id);
    else leads.set(key, { id: report.id, receivedAt: report.receivedAt });
  }
  return joins;
}

const urgencyRank = { life_safety: 0, urgent: 1, routine: 2 } as const;
type Weighed = { urgency: keyof typeof urgencyRank; safetyFlag: boolean };

/**
 * Whether acknowledging `taken` also takes `linked`, a report of the same incident still waiting:
 * only when it asks no more than the one the person read. A more urgent report, or one that speaks
 * of suicide, self-harm or a weapon when the taken one does not, keeps escalating until someone
 * opens it: it may hold what the first did not.
 */
export function coveredByAcknowledgement(taken: Weighed, linked: Weighed): boolean {
  return urgencyRank[linked.urgency] >= urgencyRank[taken.urgency] && (!linked.safetyFlag || taken.safetyFlag);
}

/**
 * A report of suspected abuse or neglect closes only when the duty was met: a mandatory report
 * recorded on a case linked to it (C.R.S. 19-3-304), or an administrator's documented finding that
 * there is no reasonable cause to suspect abuse. Returns the refusal, or null when it may close.
 */
export function abuseReportCloseRefusal(facts: { category: string; mandatoryReportRecorded: boolean; noCauseFinding: boolean }): string | null {
  if (!carriesReportingDuty(facts.category) || facts.mandatoryReportRecorded || facts.noCauseFinding) return null;
  return 'This report is about suspected abuse or neglect. Before it closes, record the mandatory report (C.R.S. 19-3-304) on a case opened from it, or an administrator must record a finding that there is no reasonable cause to suspect abuse.';
}

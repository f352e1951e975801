import type { Transaction } from '../db/client.ts';
import type { Audit, AuditActor, AuditEntry } from './audit.ts';

/**
 * The lists a person can see students on. Each is said in words in a student's access log and in
 * the family's export (src/features/students/access-log.rules.ts), so a new list needs a name there.
 */
export const shownPlaces = [
  'student_search',
  'support_queue',
  'follow_up_queue',
  'caseload',
  'screening_roster',
  'referral_list',
  'partner_referral_list',
  'case_list',
  'report_list',
  'screening_notices',
] as const;
export type ShownPlace = (typeof shownPlaces)[number];

/**
 * Why the person may see the student, kept as facts so the access log can say it in the family's
 * language: a role held at a school (or district-wide), the partner organization a referral was
 * sent to, being named on the student's plan, a screening window or a crisis case, or having broken
 * the glass to see a case.
 */
export type ShownBasis =
  | { grant: { role: string; schoolId: string | null }; school: string }
  | { partner: string }
  | { named: 'plan_responsible' | 'window_proctor' | 'case_assigned' | 'break_glass' };

export type StudentShown = {
  studentId: string;
  basis: ShownBasis;
  /** The records behind the row (e.g. referral ids), so an export can leave out what a family may not be shown. */
  records?: readonly string[];
};

/** The legitimate interest as one English sentence, the form every audit reason is stored in. */
export function reasonOf(basis: ShownBasis): string {
  if ('grant' in basis) return `${basis.grant.role.replaceAll('_', ' ')} at ${basis.grant.schoolId ? basis.school : 'district level'}`;
  if ('partner' in basis) return `partner ${basis.partner}: referral sent to them`;
  const named = {
    plan_responsible: "responsible for the student's support plan",
    window_proctor: 'named proctor of the screening window',
    case_assigned: 'assigned to the crisis case',
    break_glass: 'break the glass',
  } as const;
  return named[basis.named];
}

/** The same basis as facts for the event's detail (no ids of people, only what the log shows). */
function basisDetail(basis: ShownBasis): Record<string, unknown> {
  if ('grant' in basis) return { role: basis.grant.role, school: basis.grant.schoolId ? basis.school : null };
  if ('partner' in basis) return { organization: basis.partner };
  return { named: basis.named };
}

/**
 * Records that a list showed these students to the actor: one `student.listed` event per student
 * (a student on several rows, e.g. two referrals, is one event that names both records), each
 * with its reason, so every name seen is in that student's access log (FERPA 34 CFR 99.32).
 * `summary`, the list's own event, goes first. Everything is one lock and one INSERT however long
 * the list, so a 500-row queue costs one round trip, not 500.
 */
export async function recordStudentsShown(
  audit: Audit,
  tx: Transaction,
  districtId: string,
  actor: AuditActor,
  where: ShownPlace,
  shown: Iterable<StudentShown>,
  summary?: AuditEntry,
): Promise<number> {
  const byStudent = new Map<string, { basis: ShownBasis; records: string[] }>();
  for (const s of shown) {
    const seen = byStudent.get(s.studentId);
    if (seen) seen.records.push(...(s.records ?? []));
    else byStudent.set(s.studentId, { basis: s.basis, records: [...(s.records ?? [])] });
  }
  const events = [...byStudent].map(([studentId, { basis, records }]) => ({
    actor,
    entry: {
      action: 'student.listed',
      subjectType: 'student',
      subjectId: studentId,
      studentId,
      reason: reasonOf(basis),
      detail: { where, ...basisDetail(basis), ...(records.length ? { records } : {}) },
    } satisfies AuditEntry,
  }));
  await audit.appendMany(tx, districtId, summary ? [{ actor, entry: summary }, ...events] : events);
  return events.length;
}

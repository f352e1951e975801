import { asc, eq } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { allowingGrant, type CaseSubject } from '../../access/policy.ts';
import { caseStudents } from '../../data/cases.ts';
import type { handoffOutcomes, handoffTargets } from '../../data/cases.values.ts';
import type { AuditEntry } from '../../platform/audit/audit.ts';
import type { ShownBasis } from '../../platform/audit/students-shown.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';

/**
 * A crisis case in the access log of every student it is about (decision 23): each event on a case
 * is written once per linked student, with that student's id, so a case about siblings is in both
 * logs, not only the first one's. All of a request's events go in one `appendMany` (one lock, one
 * INSERT), however many students.
 */

/** The students linked to a case. */
export async function linkedStudentIds(tx: Transaction, caseId: string): Promise<string[]> {
  const rows = await tx.select({ id: caseStudents.studentId }).from(caseStudents).where(eq(caseStudents.caseId, caseId)).orderBy(asc(caseStudents.studentId));
  return rows.map((r) => r.id);
}

type CaseEntry = Omit<AuditEntry, 'subjectType' | 'subjectId' | 'studentId'>;

/**
 * One event per student, each naming the case as its subject; while nobody on the case is
 * identified yet, one event without a student (the case's own trail still has it).
 */
export async function auditCaseFor(deps: Deps, tx: Transaction, actor: Actor, caseId: string, studentIds: readonly string[], entry: CaseEntry) {
  const base: AuditEntry = { ...entry, subjectType: 'case', subjectId: caseId };
  const entries = studentIds.length > 0 ? studentIds.map((studentId) => ({ ...base, studentId })) : [base];
  const who = auditActor(actor);
  await deps.audit.appendMany(
    tx,
    actor.districtId,
    entries.map((e) => ({ actor: who, entry: e })),
  );
}

/** The same, for the students linked to the case now. */
export async function auditCase(deps: Deps, tx: Transaction, actor: Actor, caseId: string, entry: CaseEntry) {
  await auditCaseFor(deps, tx, actor, caseId, await linkedStudentIds(tx, caseId), entry);
}

/**
 * Why the actor may see a case, as facts the access log says in words: their role at the case's
 * school (or district-wide), being assigned to it, or the glass they broke. Null when none does.
 */
export function caseBasis(actor: Actor, subject: CaseSubject, school: string | null): ShownBasis | null {
  const byRole = allowingGrant(actor, 'case.read', { ...subject, assignedUserIds: [], breakGlass: false });
  if (byRole) return { grant: byRole, school: school ?? '' };
  if (allowingGrant(actor, 'case.read', { ...subject, breakGlass: false })) return { named: 'case_assigned' };
  if (allowingGrant(actor, 'case.read', subject)) return { named: 'break_glass' };
  return null;
}

/** The crisis services a student is handed over to, as the stored (English) reason names them. */
const handoffNames: Record<(typeof handoffTargets)[number], string> = {
  colorado_crisis_services: 'Colorado Crisis Services',
  '988': 'the 988 Suicide & Crisis Lifeline',
  emergency_services_911: 'emergency services (911)',
  mobile_crisis: 'a mobile crisis team',
  emergency_department: 'a hospital emergency department',
};

/**
 * A warm hand-off tells a crisis service about the student: a disclosure without consent, on the
 * health-or-safety emergency exception (34 CFR 99.36), recorded as 99.32 asks with the party it
 * went to. The reason has the form referral disclosures use ("disclosed to … on …"), so the access
 * log says to whom and on what basis; the target and the outcome are kept as facts.
 */
export function handoffDisclosure(target: (typeof handoffTargets)[number], outcome: (typeof handoffOutcomes)[number]) {
  return { reason: `disclosed to ${handoffNames[target]} on emergency 99 36`, detail: { target, outcome } };
}

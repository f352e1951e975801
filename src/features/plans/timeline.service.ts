import { desc, eq, inArray } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { caseStudents, cases } from '../../data/cases.ts';
import { planEvents, studentContacts, supportPlans } from '../../data/plans.ts';
import { screeningResults } from '../../data/screening.ts';
import { students } from '../../data/students.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { caseSubject } from '../cases/index.ts';
import { type PlanWords, readPlanEvent } from './plan-words.rules.ts';

export type TimelineItem = { at: string; kind: 'screening' | 'case' | 'plan' | 'contact'; summary: string; words: PlanWords | null; link: string | null };

/**
 * One student's story across Haven, newest first: screens, crisis cases, support plan events and
 * contacts, each only if the viewer may see that kind of record (a case they cannot open is left
 * out entirely). The read is audited.
 */
export async function studentTimeline(deps: Deps, actor: Actor, studentId: string) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const [student] = isUuid(studentId) ? await tx.select().from(students).where(eq(students.id, studentId)) : [];
    if (!student || !can(actor, 'plan.read', { schoolId: student.schoolId })) throw notFound('That student');
    const items: TimelineItem[] = [];
    if (can(actor, 'screening.readResults', { schoolId: student.schoolId })) {
      for (const r of await tx
        .select()
        .from(screeningResults)
        .where(eq(screeningResults.studentId, student.id))
        .orderBy(desc(screeningResults.administeredAt))
        .limit(100)) {
        items.push({
          at: r.administeredAt.toISOString(),
          kind: 'screening',
          summary: `${r.instrumentId.toUpperCase()}: ${r.band?.replaceAll('_', ' ') ?? 'not scored'}${r.flags.includes('suicide_risk') ? ' (suicide risk)' : ''}`,
          words: {
            code: r.flags.includes('suicide_risk') ? 'screening_suicide_risk' : 'screening',
            values: { instrument: r.instrumentId, band: r.band ?? 'not_scored' },
          },
          link: null,
        });
      }
    }
    const linked = await tx
      .select({ row: cases })
      .from(caseStudents)
      .innerJoin(cases, eq(cases.id, caseStudents.caseId))
      .where(eq(caseStudents.studentId, student.id));
    for (const { row } of linked) {
      if (!can(actor, 'case.read', await caseSubject(tx, actor, row, deps.clock.now()))) continue;
      items.push({
        at: row.openedAt.toISOString(),
        kind: 'case',
        summary: `Crisis case opened (${row.type.replaceAll('_', ' ')}), now ${row.status.replace('_', ' ')}`,
        words: { code: 'case', values: { type: row.type, status: row.status } },
        link: `/cases/${row.id}`,
      });
    }
    const plans = await tx.select({ id: supportPlans.id }).from(supportPlans).where(eq(supportPlans.studentId, student.id));
    if (plans.length > 0) {
      for (const e of await tx
        .select()
        .from(planEvents)
        .where(
          inArray(
            planEvents.planId,
            plans.map((p) => p.id),
          ),
        )
        .orderBy(desc(planEvents.at))) {
        items.push({ at: e.at.toISOString(), kind: 'plan', summary: e.summary, words: readPlanEvent(e), link: null });
      }
    }
    for (const c of await tx.select().from(studentContacts).where(eq(studentContacts.studentId, student.id)).orderBy(desc(studentContacts.at)).limit(100)) {
      items.push({
        at: c.at.toISOString(),
        kind: 'contact',
        summary: c.note ? `Contact: ${c.note}` : 'Contact with the student',
        words: c.note ? { code: 'contact_note', values: { note: c.note } } : { code: 'contact', values: {} },
        link: null,
      });
    }
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'student.timeline_read',
      subjectType: 'student',
      subjectId: student.id,
      studentId: student.id,
    });
    return items.sort((a, b) => b.at.localeCompare(a.at));
  });
}

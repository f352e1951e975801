import { and, desc, eq, isNull, ne, or, sql } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { allowingGrant } from '../../access/policy.ts';
import { caseReports, caseStudents } from '../../data/cases.ts';
import { heldFamilyMessages } from '../../data/family-contact.ts';
import type { FamilyMessageKind } from '../../data/family-contact.values.ts';
import { reports } from '../../data/reports.ts';
import { students } from '../../data/students.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { type Concern, familyContactHeld } from './family-contact.rules.ts';

/** The student's concerns that could name the household: reports about them, directly or through a case. */
async function concernsAbout(tx: Transaction, studentId: string): Promise<Concern[]> {
  return tx
    .select({ category: reports.category, householdConcern: reports.householdConcern, status: reports.status })
    .from(reports)
    .where(
      and(
        eq(reports.householdConcern, true),
        ne(reports.status, 'closed'),
        or(
          eq(reports.studentId, studentId),
          sql`exists (select 1 from ${caseReports} join ${caseStudents} on ${caseStudents.caseId} = ${caseReports.caseId}
                      where ${caseReports.reportId} = ${reports.id} and ${caseStudents.studentId} = ${studentId})`,
        ),
      ),
    );
}

/** True while messages to this student's guardians must wait for a person. */
export async function familyContactIsHeld(tx: Transaction, studentId: string): Promise<boolean> {
  return familyContactHeld(await concernsAbout(tx, studentId));
}

/**
 * Every e-mail to a student's guardians goes through here, in the caller's transaction: into the
 * outbox with the event that causes it (sent by the worker, retried until it goes or is listed for
 * the administrators), or, while an open concern of abuse names the household, kept for a person
 * to decide (audited, no text of it in the log). Returns what happened, so the caller can say so
 * ("the family was not e-mailed: held").
 */
export async function mailFamily(
  deps: Deps,
  tx: Transaction,
  input: { districtId: string; studentId: string; kind: FamilyMessageKind; mail: Mail },
): Promise<'sent' | 'held'> {
  const { to, subject, text, attachments } = input.mail;
  if (!(await familyContactIsHeld(tx, input.studentId))) {
    await enqueueMessage(deps, tx, {
      districtId: input.districtId,
      purpose: `family.${input.kind}`,
      message: { kind: 'email', to, subject, text, ...(attachments ? { attachments } : {}) },
    });
    return 'sent';
  }
  const id = deps.ids.uuid();
  await tx.insert(heldFamilyMessages).values({
    id,
    districtId: input.districtId,
    studentId: input.studentId,
    kind: input.kind,
    message: { to, subject, text, ...(attachments ? { attachments: attachments.map((a) => ({ ...a, content: String(a.content) })) } : {}) },
    heldAt: deps.clock.now(),
  });
  await deps.audit.append(
    tx,
    input.districtId,
    { userId: null, label: 'Haven' },
    { action: 'family_message.held', subjectType: 'family_message', subjectId: id, studentId: input.studentId, detail: { kind: input.kind } },
  );
  return 'held';
}

/** `mailFamily` in a transaction of its own, for callers that have none open. */
export async function sendToFamily(
  deps: Deps,
  input: { districtId: string; studentId: string; kind: FamilyMessageKind; mail: Mail },
): Promise<'sent' | 'held'> {
  return withTenant(deps.db.app, { districtId: input.districtId }, (tx) => mailFamily(deps, tx, input));
}

function mayDecide(actor: Actor, schoolId: string) {
  return (
    allowingGrant(actor, 'case.confirmWaiver', { schoolId, assignedUserIds: [], breakGlass: false }) ??
    allowingGrant(actor, 'screening.readResults', { schoolId })
  );
}

/** Messages held for a student's family, newest first, for the people who may decide about them. */
export async function heldMessagesFor(deps: Deps, actor: Actor, studentId: string) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const [student] = isUuid(studentId)
      ? await tx.select({ id: students.id, schoolId: students.schoolId }).from(students).where(eq(students.id, studentId))
      : [];
    const grant = student ? mayDecide(actor, student.schoolId) : undefined;
    if (!student || !grant) throw notFound('That student');
    const rows = await tx.select().from(heldFamilyMessages).where(eq(heldFamilyMessages.studentId, student.id)).orderBy(desc(heldFamilyMessages.heldAt));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'family_message.list_read',
      subjectType: 'student',
      subjectId: student.id,
      studentId: student.id,
      reason: `${grant.role.replace('_', ' ')} (messages held for the family)`,
      detail: { messages: rows.length },
    });
    return {
      stillHeld: await familyContactIsHeld(tx, student.id),
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        to: r.message.to,
        subject: r.message.subject,
        text: r.message.text,
        heldAt: r.heldAt.toISOString(),
        decision: r.decision,
        decidedAt: r.decidedAt?.toISOString() ?? null,
        reason: r.reason,
      })),
    };
  });
}

/**
 * A person decides about one held message: send it now, or keep it back, with the reason (both
 * audited on the student). A message is decided once.
 */
export async function decideHeldMessage(deps: Deps, actor: Actor, messageId: string, input: { send: boolean; reason: string }) {
  const decided = await withTenant(deps.db.app, actor, async (tx) => {
    const [row] = isUuid(messageId) ? await tx.select().from(heldFamilyMessages).where(eq(heldFamilyMessages.id, messageId)) : [];
    const [student] = row ? await tx.select({ schoolId: students.schoolId }).from(students).where(eq(students.id, row.studentId)) : [];
    if (!row || !student || !mayDecide(actor, student.schoolId)) throw notFound('That held message');
    const [updated] = await tx
      .update(heldFamilyMessages)
      .set({ decision: input.send ? 'sent' : 'withheld', decidedAt: deps.clock.now(), decidedBy: actor.userId, reason: input.reason })
      .where(and(eq(heldFamilyMessages.id, row.id), isNull(heldFamilyMessages.decision)))
      .returning();
    if (!updated)
      throw badRequest('Someone has already decided about this message.', { code: 'message_already_decided', es: 'Alguien ya decidió sobre este mensaje.' });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: input.send ? 'family_message.released' : 'family_message.withheld',
      subjectType: 'family_message',
      subjectId: row.id,
      studentId: row.studentId,
      reason: input.reason,
      detail: { kind: row.kind },
    });
    // Released: into the outbox with the decision, so it goes even if the mail server is down now.
    if (input.send) {
      const { to, subject, text, attachments } = updated.message;
      await enqueueMessage(deps, tx, {
        districtId: row.districtId,
        purpose: `family.${row.kind}`,
        message: { kind: 'email', to, subject, text, ...(attachments ? { attachments } : {}) },
      });
    }
    return updated;
  });
  return { id: decided.id, decision: decided.decision };
}

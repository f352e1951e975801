import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { roleGrants, users } from '../../data/accounts.ts';
import { caseEvents, cases, caseTasks } from '../../data/cases.ts';
import type { Deps } from '../../platform/deps.ts';
import type { SourceHandlers } from '../../platform/outbox/outbox.sender.ts';
import { type Enqueue, enqueueMessages } from '../../platform/outbox/outbox.ts';

const remindEveryMs = 24 * 3_600_000;
/** An outstanding mandatory report is a legal deadline: its owner is reminded every hour. */
const mandatoryEveryMs = 3_600_000;

/** Duties whose hard deadline, once passed, goes to the administrators: the law's and the family's. */
const escalated = {
  mandatory_report: {
    due: 'Haven: a mandatory report is due now',
    late: 'Haven: a mandatory report is past its 24-hour deadline',
    event: ['mandatory_report_overdue', 'The mandatory report is past its 24-hour deadline; administrators were alerted.'],
  },
  guardian_notice: {
    due: "Haven: a student's guardian must be told by the end of the school day (high suicide risk)",
    late: 'Haven: a guardian notice is late (high suicide risk)',
    event: ['guardian_notice_overdue', 'The guardian was not told (nor a reason not to confirmed) by the end of the school day; administrators were alerted.'],
  },
} as const;

/** The outbox source of a task's reminder to its owner: the task. */
const taskReminderSource = 'case_task.reminder';

/**
 * Reminders through the notification machinery: a task that comes due is sent to its owner
 * (in-app and e-mail), again each day while it is overdue (each hour for a mandatory report).
 * The owner's e-mail goes through the outbox, and the task counts as reminded only once it has
 * gone (`taskReminderOutboxSources`); while it waits, the task is not reminded again.
 * A mandatory report past its 24-hour deadline, or a high-risk guardian notice past the end of its
 * school day, escalates to the school's and district's administrators, once, and says so on the
 * case. Run by the worker; several servers share it safely (SKIP LOCKED). Returns how many tasks
 * were handled.
 */
export async function remindDueTasks(deps: Deps, limit = 50): Promise<number> {
  const now = deps.clock.now();
  return deps.db.system.transaction(async (tx) => {
    const outbound: Enqueue[] = [];
    const waiting = sql<boolean>`exists (select 1 from outbox o where o.source_type = ${taskReminderSource} and o.source_id = ${caseTasks.id}::text and o.status = 'pending')`;
    const due = await tx
      .select({ task: caseTasks, schoolId: cases.schoolId, waiting })
      .from(caseTasks)
      .innerJoin(cases, eq(cases.id, caseTasks.caseId))
      .where(
        and(
          isNull(caseTasks.doneAt),
          lte(caseTasks.dueAt, now),
          or(
            and(or(isNull(caseTasks.remindedAt), lte(caseTasks.remindedAt, new Date(now.getTime() - mandatoryEveryMs))), sql`not ${waiting}`),
            and(isNull(caseTasks.escalatedAt), lte(caseTasks.hardDeadlineAt, now)),
          ),
        ),
      )
      .limit(limit)
      .for('update', { of: caseTasks, skipLocked: true });
    let count = 0;
    for (const { task, schoolId, waiting: reminderWaiting } of due) {
      const every = task.kind === 'mandatory_report' ? mandatoryEveryMs : remindEveryMs;
      const remind = !reminderWaiting && (!task.remindedAt || task.remindedAt.getTime() <= now.getTime() - every);
      const duty = task.kind === 'mandatory_report' || task.kind === 'guardian_notice' ? escalated[task.kind] : null;
      const escalate = duty !== null && task.hardDeadlineAt !== null && task.hardDeadlineAt <= now && task.escalatedAt === null;
      if (!remind && !escalate) continue;
      count += 1;
      const link = `${deps.settings.publicUrl}/cases/${task.caseId}`;
      const recipients = new Set<string>();
      // The owner hears of every reminder and of the escalation: it is still theirs to do.
      if ((remind || escalate) && task.ownerUserId) recipients.add(task.ownerUserId);
      if (escalate && duty) {
        const admins = await tx
          .select({ userId: roleGrants.userId })
          .from(roleGrants)
          .where(
            and(
              eq(roleGrants.districtId, task.districtId),
              or(eq(roleGrants.role, 'district_admin'), and(eq(roleGrants.role, 'school_admin'), schoolId ? eq(roleGrants.schoolId, schoolId) : undefined)),
            ),
          );
        for (const a of admins) recipients.add(a.userId);
        await tx.insert(caseEvents).values({
          id: deps.ids.uuid(),
          districtId: task.districtId,
          caseId: task.caseId,
          at: now,
          actorUserId: null,
          actorLabel: 'Haven',
          kind: duty.event[0],
          summary: duty.event[1],
        });
      }
      const people = recipients.size
        ? await tx
            .select({ id: users.id, email: users.email })
            .from(users)
            .where(inArray(users.id, [...recipients]))
        : [];
      const subject = duty ? (escalate ? duty.late : duty.due) : 'Haven: a case task is due';
      // Task titles carry no student names; the link leads into Haven. The owner's reminder marks the task reminded once it has gone.
      const owned = remind && people.some((p) => p.id === task.ownerUserId);
      for (const p of people)
        outbound.push({
          districtId: task.districtId,
          message: { kind: 'email', to: p.email, subject, text: `${subject}. Open the case: ${link}` },
          purpose: escalate ? 'case.duty_overdue' : 'case.task_due',
          ...(owned && p.id === task.ownerUserId ? { source: { type: taskReminderSource, id: task.id } } : {}),
        });
      await deps.live.publish(tx, {
        userIds: people.map((p) => p.id),
        type: 'case.task_due',
        data: { caseId: task.caseId, taskId: task.id, kind: task.kind, overdue: escalate },
      });
      // Without an e-mail to wait for, the reminder is done now; the escalation is done once decided (in-app, and on the case).
      const reminded = remind && !owned;
      if (reminded || escalate)
        await tx
          .update(caseTasks)
          .set({ ...(reminded ? { remindedAt: now } : {}), ...(escalate ? { escalatedAt: now } : {}) })
          .where(eq(caseTasks.id, task.id));
    }
    await enqueueMessages(deps, tx, outbound);
    return count;
  });
}

/** A task counts as reminded when its owner's e-mail has gone, in the transaction that records it; one that failed is reminded again. */
export const taskReminderOutboxSources: SourceHandlers = {
  [taskReminderSource]: async (tx, settled) => {
    for (const s of settled.filter((s) => s.ok)) await tx.update(caseTasks).set({ remindedAt: s.at }).where(eq(caseTasks.id, s.sourceId));
  },
};

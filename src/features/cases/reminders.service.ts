import { and, eq, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Deps } from '../../platform/deps.ts';
import { roleGrants, users } from '../accounts/accounts.tables.ts';
import { caseEvents, cases, caseTasks } from './cases.tables.ts';

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

/**
 * Reminders through the notification machinery: a task that comes due is sent to its owner
 * (in-app and e-mail), again each day while it is overdue (each hour for a mandatory report).
 * A mandatory report past its 24-hour deadline, or a high-risk guardian notice past the end of its
 * school day, escalates to the school's and district's administrators, once, and says so on the
 * case. Run by the worker; several servers share it safely (SKIP LOCKED). Returns how many tasks
 * were handled.
 */
export async function remindDueTasks(deps: Deps, limit = 50): Promise<number> {
  const now = deps.clock.now();
  const outbound: { to: string; subject: string; text: string }[] = [];
  const handled = await deps.db.system.transaction(async (tx) => {
    const due = await tx
      .select({ task: caseTasks, schoolId: cases.schoolId })
      .from(caseTasks)
      .innerJoin(cases, eq(cases.id, caseTasks.caseId))
      .where(
        and(
          isNull(caseTasks.doneAt),
          lte(caseTasks.dueAt, now),
          or(
            isNull(caseTasks.remindedAt),
            lte(caseTasks.remindedAt, new Date(now.getTime() - mandatoryEveryMs)),
            and(isNull(caseTasks.escalatedAt), lte(caseTasks.hardDeadlineAt, now)),
          ),
        ),
      )
      .limit(limit)
      .for('update', { of: caseTasks, skipLocked: true });
    let count = 0;
    for (const { task, schoolId } of due) {
      const every = task.kind === 'mandatory_report' ? mandatoryEveryMs : remindEveryMs;
      const remind = !task.remindedAt || task.remindedAt.getTime() <= now.getTime() - every;
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
      // Task titles carry no student names; the link leads into Haven.
      for (const p of people) outbound.push({ to: p.email, subject, text: `${subject}. Open the case: ${link}` });
      await deps.live.publish(tx, {
        userIds: people.map((p) => p.id),
        type: 'case.task_due',
        data: { caseId: task.caseId, taskId: task.id, kind: task.kind, overdue: escalate },
      });
      await tx
        .update(caseTasks)
        .set({ ...(remind ? { remindedAt: now } : {}), ...(escalate ? { escalatedAt: now } : {}) })
        .where(eq(caseTasks.id, task.id));
    }
    return count;
  });
  for (const mail of outbound) await deps.mailer.send(mail).catch(() => undefined);
  return handled;
}

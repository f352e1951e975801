import { and, eq, inArray, isNull, max } from 'drizzle-orm';
import type { Actor } from '../../access/actor.ts';
import { auditActor } from '../../access/actor.ts';
import { caseRecords, cases, caseTasks } from '../../data/cases.ts';
import type { caseOutcomes } from '../../data/cases.values.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest } from '../../platform/errors.ts';
import { type CaseStatus, checkTransition } from './case.rules.ts';
import { gatesTextEs } from './case.text.ts';
import { addEvent, caseFacts, withCase } from './case-access.ts';
import { auditCase } from './case-audit.ts';
import { tasksClosingCancels } from './next-step.rules.ts';

export type CloseInput = { outcome?: (typeof caseOutcomes)[number] | undefined; summary?: string | undefined };

/** The note a task cancelled by closing carries (the task table has no cancelled state of its own). */
export const cancelledByClosing = 'Cancelled: the case was closed.';

/**
 * Closes a case. The gates are checked first and every refusal is returned at once (mandatory
 * report, safety plan, guardian notice, threat actions); then the outcome and the summary are kept
 * as a `closure` record, and every open task is cancelled (next-step.rules.ts says why): it is
 * marked done with a fixed note, and the closure record lists which, so the page can say
 * "cancelled" rather than "done". Reopening does not bring them back; a new re-entry plan does.
 */
export async function closeCase(deps: Deps, actor: Actor, caseId: string, input: CloseInput) {
  const outcome = input.outcome;
  const summary = input.summary?.trim();
  if (!outcome || !summary)
    throw badRequest('Closing a case needs its outcome and a summary of how it ended.', {
      code: 'case_close_needs_outcome',
      es: 'Para cerrar un caso hacen falta su resultado y un resumen de cómo terminó.',
    });
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    const decision = checkTransition(await caseFacts(tx, row), 'close');
    if (!decision.ok)
      throw badRequest(decision.reasons.join(' '), {
        code: 'case_transition_refused',
        es: gatesTextEs(decision.gates, row.status as CaseStatus, 'close'),
        reasons: decision.reasons,
        gates: decision.gates,
      });
    const now = deps.clock.now();
    const tasks = await tx
      .select()
      .from(caseTasks)
      .where(and(eq(caseTasks.caseId, row.id), isNull(caseTasks.doneAt)));
    const cancelled = tasksClosingCancels(tasks);
    if (cancelled.length > 0)
      await tx
        .update(caseTasks)
        .set({ doneAt: now, doneBy: actor.userId, note: cancelledByClosing })
        .where(
          and(
            inArray(
              caseTasks.id,
              cancelled.map((t) => t.id),
            ),
            isNull(caseTasks.doneAt),
          ),
        );
    const [last] = await tx
      .select({ version: max(caseRecords.version) })
      .from(caseRecords)
      .where(and(eq(caseRecords.caseId, row.id), eq(caseRecords.kind, 'closure')));
    const version = (last?.version ?? 0) + 1;
    // Stored directly, not through storeRecord: the closing's one timeline line is the status change below.
    await tx.insert(caseRecords).values({
      id: deps.ids.uuid(),
      districtId: row.districtId,
      caseId: row.id,
      kind: 'closure',
      version,
      content: { outcome, summary, cancelledTaskIds: cancelled.map((t) => t.id) },
      createdBy: actor.userId,
      createdByLabel: auditActor(actor).label,
      createdAt: now,
    });
    await tx.update(cases).set({ status: 'closed', closedAt: now }).where(eq(cases.id, row.id));
    const tasksLine = cancelled.length > 0 ? ` ${cancelled.length} open task(s) cancelled: ${cancelled.map((t) => t.title).join('; ')}.` : '';
    await addEvent(
      deps,
      tx,
      row,
      actor,
      'close',
      `Status: ${row.status.replace('_', ' ')} → closed. Outcome: ${outcome.replaceAll('_', ' ')}. ${summary}${/[.!?]$/.test(summary) ? '' : '.'}${tasksLine}`,
    );
    // The summary stays on the case: the audit trail keeps the facts, not the words about a student.
    await auditCase(deps, tx, actor, row.id, {
      action: 'case.close',
      detail: { from: row.status, to: 'closed', outcome, cancelledTasks: cancelled.length },
    });
    return {
      status: 'closed' as const,
      outcome,
      cancelledTasks: cancelled.map((t) => ({ id: t.id, kind: t.kind, title: t.title, dueAt: t.dueAt.toISOString() })),
    };
  });
}

import { and, asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { caseRecords, caseStudents, caseTasks } from '../../data/cases.ts';
import { students } from '../../data/students.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { parseMoment } from '../../platform/time-zone.ts';
import { districtTimeZone } from '../districts/index.ts';
import { canAddRecord, planSectionNames, safetyPlanGaps } from './case.rules.ts';
import { caseClosed, safetRationaleEs } from './case.text.ts';
import { addEvent, caseFacts, districtZone, storeRecord, withCase } from './case-access.ts';
import { auditCase, auditCaseFor, handoffDisclosure } from './case-audit.ts';
import type { handoffInput, safetyPlanInput, suicideAssessmentInput, taskInput, threatAssessmentInput } from './cases.schema.ts';
import { openGuardianDuty } from './duties.service.ts';
import { safetReasonText, suggestRiskLevel } from './safet.rules.ts';

/**
 * A SAFE-T assessment. Haven's suggestion and its reasons (in English) are stored beside the clinician's level;
 * when they differ, the clinician's rationale is required and kept. A high level starts the
 * guardian-notice clock (same school day).
 */
export async function recordSuicideAssessment(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof suicideAssessmentInput>) {
  const suggested = suggestRiskLevel(input);
  const suggestion = { level: suggested.level, reasons: suggested.reasons.map(safetReasonText) };
  const differs = suggestion.level !== input.level;
  if (differs && !input.rationale)
    throw badRequest(`Haven suggests ${suggestion.level} (${suggestion.reasons.join('; ')}). Say why you chose ${input.level}.`, {
      code: 'safet_rationale_required',
      es: safetRationaleEs(suggested, input.level),
    });
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    const stored = await storeRecord(
      deps,
      tx,
      actor,
      row,
      'suicide_assessment',
      { ...input, suggestedLevel: suggestion.level, suggestionReasons: suggestion.reasons, differs },
      `Suicide risk assessment (SAFE-T): ${input.level}${differs ? ` (Haven suggested ${suggestion.level})` : ''}.`,
    );
    if (input.level === 'high') await openGuardianDuty(deps, tx, row, actor);
    return { ...stored, suggestion };
  });
}

/** A threat assessment; actions left blank are not stored, so "recorded" always means some words. */
export async function recordThreatAssessment(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof threatAssessmentInput>) {
  const actions = Object.fromEntries(Object.entries(input.actions).filter(([, v]) => typeof v === 'string' && v !== ''));
  const kind = input.classification === 'substantive' ? `substantive (${(input.severity ?? 'serious').replace('_', ' ')})` : 'transient';
  return withCase(deps, actor, caseId, 'case.act', (tx, row) =>
    storeRecord(deps, tx, actor, row, 'threat_assessment', { ...input, actions }, `Threat assessment: ${kind}, ${input.level}.`),
  );
}

const crisisLines = {
  en: [
    '988 Suicide & Crisis Lifeline: call or text 988',
    'Colorado Crisis Services: 1-844-493-8255, or text TALK to 38255',
    'Emergency: 911 or the nearest emergency department',
  ],
  es: [
    'Línea 988 de Prevención del Suicidio y Crisis: llame o envíe un texto al 988',
    'Colorado Crisis Services: 1-844-493-8255, o envíe TALK al 38255',
    'Emergencia: 911 o la sala de emergencias más cercana',
  ],
};

/**
 * A new version of the Stanley-Brown safety plan; section 5 always carries 988 and Colorado Crisis
 * Services. A version with required sections empty is kept (plans are made over a conversation),
 * but it does not count for the high-risk gate, and the timeline says what is missing.
 */
export async function recordSafetyPlan(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof safetyPlanInput>) {
  const lines = crisisLines[input.language];
  const professionals = [...input.professionals.filter((p) => !lines.includes(p)), ...lines];
  const gaps = safetyPlanGaps(input);
  const summary =
    gaps.length === 0
      ? 'Safety plan made with the student (new version).'
      : `Safety plan saved with the student (new version); still empty: ${gaps.map((g) => planSectionNames[g]).join(', ')}.`;
  return withCase(deps, actor, caseId, 'case.act', (tx, row) => storeRecord(deps, tx, actor, row, 'safety_plan', { ...input, professionals }, summary));
}

export async function shareSafetyPlan(deps: Deps, actor: Actor, caseId: string, version: number, share: { guardianName: string; method: string }) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    const [plan] = await tx
      .select()
      .from(caseRecords)
      .where(and(eq(caseRecords.caseId, row.id), eq(caseRecords.kind, 'safety_plan'), eq(caseRecords.version, version)));
    if (!plan) throw notFound('That safety plan version');
    await addEvent(deps, tx, row, actor, 'safety_plan_shared', `Safety plan version ${version} shared with ${share.guardianName} (${share.method}).`);
    // Who received it and how, so each student's access log says the plan went to their family.
    await auditCase(deps, tx, actor, row.id, {
      action: 'case.safety_plan_shared',
      detail: { version, recipient: { name: share.guardianName, method: share.method } },
    });
    return { shared: true };
  });
}

/**
 * A safety plan version to print, with the names of the case's students for its header. Printing
 * is a look at each student's plan: one event per student, and the only audit write of the request.
 */
export async function safetyPlanVersion(deps: Deps, actor: Actor, caseId: string, version: number) {
  return withCase(deps, actor, caseId, 'case.read', async (tx, row) => {
    const [plan] = await tx
      .select()
      .from(caseRecords)
      .where(and(eq(caseRecords.caseId, row.id), eq(caseRecords.kind, 'safety_plan'), eq(caseRecords.version, version)));
    if (!plan) throw notFound('That safety plan version');
    const named = await tx
      .select({ id: students.id, firstName: students.firstName, lastName: students.lastName })
      .from(caseStudents)
      .innerJoin(students, eq(students.id, caseStudents.studentId))
      .where(eq(caseStudents.caseId, row.id))
      .orderBy(asc(students.lastName), asc(students.firstName));
    await auditCaseFor(
      deps,
      tx,
      actor,
      row.id,
      named.map((s) => s.id),
      { action: 'case.safety_plan_printed', detail: { version } },
    );
    return {
      plan: plan.content as z.infer<typeof safetyPlanInput>,
      version: plan.version,
      createdAt: plan.createdAt,
      timeZone: await districtTimeZone(tx, row.districtId),
      students: named.map((s) => `${s.firstName} ${s.lastName}`),
    };
  });
}

/** A warm hand-off to a crisis service: in each student's access log as a disclosure to that service. */
export async function recordHandoff(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof handoffInput>) {
  return withCase(deps, actor, caseId, 'case.act', (tx, row) =>
    storeRecord(
      deps,
      tx,
      actor,
      row,
      'handoff',
      input,
      `Warm hand-off to ${input.target.replaceAll('_', ' ')}: ${input.outcome}.`,
      handoffDisclosure(input.target, input.outcome),
    ),
  );
}

/** A task with an owner and a due time; a wall-clock time is read in the district's time zone. */
export async function addTask(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof taskInput>) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    if (!canAddRecord(await caseFacts(tx, row), 'task')) throw caseClosed();
    const dueAt = parseMoment(input.due, await districtZone(tx, row.districtId));
    if (Number.isNaN(dueAt.getTime()))
      throw badRequest('The due time is not a real date and time.', { code: 'due_time_invalid', es: 'La hora límite no es una fecha y hora reales.' });
    const id = deps.ids.uuid();
    await tx
      .insert(caseTasks)
      .values({ id, districtId: row.districtId, caseId: row.id, kind: 'general', title: input.title, ownerUserId: input.ownerUserId ?? actor.userId, dueAt });
    await addEvent(deps, tx, row, actor, 'task_added', `Task: ${input.title}.`);
    return { id, dueAt: dueAt.toISOString() };
  });
}

export async function completeTask(deps: Deps, actor: Actor, caseId: string, taskId: string, note: string | undefined) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    const [task] = isUuid(taskId)
      ? await tx
          .select()
          .from(caseTasks)
          .where(and(eq(caseTasks.id, taskId), eq(caseTasks.caseId, row.id)))
      : [];
    if (!task) throw notFound('That task');
    if (task.kind === 'mandatory_report')
      throw badRequest('Record the mandatory report itself (agency, time, reference); that completes this task.', {
        code: 'task_needs_mandatory_report',
        es: 'Registre el reporte obligatorio en sí (agencia, hora, referencia); eso completa esta tarea.',
      });
    if (task.kind === 'guardian_notice')
      throw badRequest('Record the guardian notice itself (or a reason not to notify, confirmed by an administrator); that completes this task.', {
        code: 'task_needs_guardian_notice',
        es: 'Registre el aviso al tutor en sí (o un motivo para no avisar, confirmado por una persona administradora); eso completa esta tarea.',
      });
    if (task.doneAt) throw badRequest('This task is already done.', { code: 'task_already_done', es: 'Esta tarea ya está hecha.' });
    await tx
      .update(caseTasks)
      .set({ doneAt: deps.clock.now(), doneBy: actor.userId, note: note ?? null })
      .where(eq(caseTasks.id, task.id));
    await addEvent(deps, tx, row, actor, 'task_done', `Done: ${task.title}${note ? ` (${note})` : ''}.`);
    return { done: true };
  });
}

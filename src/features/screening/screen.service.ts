import { randomBytes } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { screeningResults, screeningSessions } from '../../data/screening.ts';
import { students } from '../../data/students.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { sha256 } from '../../platform/secrets.ts';
import type { InstrumentDefinition } from './definition.schema.ts';
import { ageOn, estimatedAge } from './eligibility.rules.ts';
import { instrumentsFor } from './instruments.service.ts';
import type { Instrument } from './library.ts';
import { alertUrgencyOf, raiseScreeningAlert, recordResult } from './results.service.ts';
import { instrumentComplete, nextStep, normalizeScreenCode } from './screen.rules.ts';

/**
 * The student's side of a screen: no account, a one-time code from the proctor, one question per
 * page. Each answer is stored as it is given, so a closed laptop loses nothing, and a suicide-risk
 * answer raises its alert at once through the crisis chain.
 */

type Session = typeof screeningSessions.$inferSelect;
type Student = typeof students.$inferSelect;

export type StartOutcome = { token: string } | { error: 'unknown_code' };

/** Trades a proctor's code for a screen token (the code stops working at that moment). */
export async function startScreen(deps: Deps, typed: string, language: 'en' | 'es'): Promise<StartOutcome> {
  const code = normalizeScreenCode(typed);
  if (!code) return { error: 'unknown_code' };
  const [session] = await deps.db.system
    .select()
    .from(screeningSessions)
    .where(eq(screeningSessions.codeHash, sha256(code)));
  const now = deps.clock.now();
  if (session?.status !== 'issued' || !session.codeExpiresAt || session.codeExpiresAt < now) return { error: 'unknown_code' };
  const token = randomBytes(32).toString('hex');
  await withTenant(deps.db.app, { districtId: session.districtId }, async (tx) => {
    await tx
      .update(screeningSessions)
      .set({ status: 'started', codeHash: sha256(token), startedAt: now, language })
      .where(eq(screeningSessions.id, session.id));
    await deps.audit.append(
      tx,
      session.districtId,
      { userId: null, label: 'student screen' },
      {
        action: 'screening.started',
        subjectType: 'screening_session',
        subjectId: session.id,
        studentId: session.studentId,
      },
    );
  });
  return { token };
}

type Loaded = { session: Session; student: Student; instruments: Instrument[] };

/**
 * A screen not finished this long after it started is over: closed, walked away from or lost.
 * It is scored on what was answered (see `closeAbandonedScreens`); the student would need a new code.
 */
export const abandonedAfterMinutes = 120;

async function load(deps: Deps, token: string | undefined): Promise<Loaded | null> {
  if (!token || !/^[0-9a-f]{64}$/.test(token)) return null;
  const [session] = await deps.db.system
    .select()
    .from(screeningSessions)
    .where(eq(screeningSessions.codeHash, sha256(token)));
  if (session?.status !== 'started') return null;
  if (session.startedAt && session.startedAt.getTime() + abandonedAfterMinutes * 60_000 < deps.clock.now().getTime()) return null;
  return withTenant(deps.db.app, { districtId: session.districtId }, async (tx) => {
    const [student] = await tx.select().from(students).where(eq(students.id, session.studentId));
    if (!student) return null;
    const library = await instrumentsFor(deps, session.districtId);
    const instruments = session.instrumentIds.map((id) => library.get(id)).filter((i): i is Instrument => i !== undefined);
    return { session, student, instruments };
  });
}

function contextFor(student: Student, today: string) {
  return (def: InstrumentDefinition): Record<string, unknown> => {
    const context: Record<string, unknown> = {};
    for (const param of def.context) {
      if (param.name === 'age') context.age = student.dateOfBirth ? ageOn(student.dateOfBirth, today) : estimatedAge(student.grade);
      if (param.name === 'grade') context.grade = student.grade === 'K' || student.grade === 'PK' ? 0 : Number(student.grade);
    }
    return context;
  };
}

export type ScreenView =
  | { state: 'none' }
  | {
      state: 'question';
      firstName: string;
      language: 'en' | 'es';
      alerted: boolean;
      instrument: InstrumentDefinition;
      item: InstrumentDefinition['item'][number];
      position: number;
      of: number;
      instrumentNumber: number;
      instrumentCount: number;
      /** Nothing answered yet: the first page, where the student may still decline. */
      first: boolean;
      /** The screen's instruments in order (the first page says which will be in English). */
      instruments: InstrumentDefinition[];
    };

/** Where the student is: the next question, or nothing (no screen, or it is finished). */
export async function currentScreen(deps: Deps, token: string | undefined): Promise<ScreenView> {
  const loaded = await load(deps, token);
  if (!loaded) return { state: 'none' };
  const { session, student, instruments } = loaded;
  const step = nextStep(
    instruments.map((i) => i.definition),
    session.answers,
    contextFor(student, deps.clock.now().toISOString().slice(0, 10)),
  );
  if (step.done) return { state: 'none' };
  return {
    state: 'question',
    firstName: student.preferredName ?? student.firstName,
    language: session.language === 'es' ? 'es' : 'en',
    alerted: session.alertUrgency !== null,
    instrument: step.instrument,
    item: step.item,
    position: step.position,
    of: step.of,
    instrumentNumber: instruments.findIndex((i) => i.definition.id === step.instrument.id) + 1,
    instrumentCount: instruments.length,
    first: Object.values(session.answers).every((given) => Object.keys(given ?? {}).length === 0),
    instruments: instruments.map((i) => i.definition),
  };
}

/** `hold`: this answer showed imminent risk; the device must keep the student with the proctor. */
export type AnswerOutcome = { next: 'question' | 'done' | 'none'; newAlert: boolean; alerted: boolean; hold?: { sessionId: string; districtId: string } };

/**
 * Stores one answer (or a skip) to the question on screen. A stale or replayed form (the back
 * button) changes nothing: only the current question can be answered.
 */
export async function answerScreen(
  deps: Deps,
  token: string | undefined,
  input: { instrumentId: string; linkId: string; value: string | null },
): Promise<AnswerOutcome> {
  const loaded = await load(deps, token);
  if (!loaded) return { next: 'none', newAlert: false, alerted: false };
  const { session, student, instruments } = loaded;
  const today = deps.clock.now().toISOString().slice(0, 10);
  const context = contextFor(student, today);
  const step = nextStep(
    instruments.map((i) => i.definition),
    session.answers,
    context,
  );
  if (step.done) return { next: 'done', newAlert: false, alerted: session.alertUrgency !== null };
  if (step.instrument.id !== input.instrumentId || step.item.linkId !== input.linkId)
    return { next: 'question', newAlert: false, alerted: session.alertUrgency !== null };
  const option = input.value === null ? null : step.item.answerOption.find((o) => String(o.value) === input.value);
  if (option === undefined || (option === null && step.item.required)) return { next: 'question', newAlert: false, alerted: session.alertUrgency !== null };

  const instrument = instruments.find((i) => i.definition.id === input.instrumentId) as Instrument;
  const given = { ...(session.answers[input.instrumentId] ?? {}), [input.linkId]: option === null ? null : option.value };
  const answers = { ...session.answers, [input.instrumentId]: given };
  const ctx = context(instrument.definition);

  // The alert goes out with the answer that calls for it; a later answer may only raise it.
  const urgency = alertUrgencyOf(instrument.score(given, ctx, { partial: true }).flags);
  let alertReportId = session.alertReportId;
  let alertUrgency = session.alertUrgency;
  const raises = urgency !== null && (alertUrgency === null || (alertUrgency === 'urgent' && urgency === 'life_safety'));
  if (raises) {
    alertReportId = await raiseScreeningAlert(deps, {
      districtId: session.districtId,
      student,
      instrumentName: instrument.definition.name,
      urgency,
      flags: instrument.score(given, ctx, { partial: true }).flags,
    });
    alertUrgency = urgency;
  }
  const complete = instrumentComplete(instrument.definition, given, ctx);
  const allDone =
    complete &&
    nextStep(
      instruments.map((i) => i.definition),
      answers,
      context,
    ).done;
  await withTenant(deps.db.app, { districtId: session.districtId }, (tx) =>
    tx
      .update(screeningSessions)
      .set({
        answers,
        alertReportId,
        alertUrgency,
        ...(allDone ? { status: 'completed' as const, codeHash: null, completedAt: deps.clock.now() } : {}),
      })
      .where(eq(screeningSessions.id, session.id)),
  );
  if (complete) {
    const final = instrument.score(given, ctx);
    await recordResult(deps, {
      districtId: session.districtId,
      student,
      instrument,
      answers: given,
      context: ctx,
      source: 'screen',
      windowId: session.windowId,
      sessionId: session.id,
      administeredAt: deps.clock.now(),
      alertReportId: alertUrgencyOf(final.flags) ? alertReportId : null,
      storeIncomplete: true,
    });
  }
  // An acute positive (the instrument finished with imminent risk): the proctor keeps the student.
  const acute = complete && instrument.score(given, ctx).flags.includes('imminent_risk');
  const hold = acute ? { sessionId: session.id, districtId: session.districtId } : undefined;
  return { next: allDone ? 'done' : 'question', newAlert: raises, alerted: alertUrgency !== null, ...(hold ? { hold } : {}) };
}

/**
 * Screens started but never finished (timed out, or their code voided or re-issued) are scored on
 * what was answered, so nothing a student said is lost: a suicide-risk answer keeps its alert,
 * and a safety question never reached puts the student in today's follow-up queue as unknown risk.
 * Each session is claimed before it is scored, so two workers never score it twice; if storing
 * fails it is put back to be tried again. Returns how many were closed.
 */
export async function closeAbandonedScreens(deps: Deps, options: { sessionIds?: string[]; limit?: number } = {}): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - abandonedAfterMinutes * 60_000);
  const claimed = await deps.db.system
    .update(screeningSessions)
    .set({ status: 'void', codeHash: null })
    .where(
      and(
        eq(screeningSessions.status, 'started'),
        options.sessionIds
          ? inArray(screeningSessions.id, options.sessionIds)
          : sql`${screeningSessions.id} in (select id from screening_sessions where status = 'started' and started_at < ${cutoff} order by started_at limit ${options.limit ?? 50} for update skip locked)`,
      ),
    )
    .returning();
  for (const session of claimed) {
    try {
      await scoreAbandoned(deps, session);
    } catch (error) {
      await deps.db.system.update(screeningSessions).set({ status: 'started' }).where(eq(screeningSessions.id, session.id));
      throw error;
    }
  }
  return claimed.length;
}

async function scoreAbandoned(deps: Deps, session: Session): Promise<void> {
  const loaded = await withTenant(deps.db.app, { districtId: session.districtId }, async (tx) => {
    const [student] = await tx.select().from(students).where(eq(students.id, session.studentId));
    const recorded = await tx.select({ instrumentId: screeningResults.instrumentId }).from(screeningResults).where(eq(screeningResults.sessionId, session.id));
    return { student, recorded: new Set(recorded.map((r) => r.instrumentId)) };
  });
  if (!loaded.student) return;
  const library = await instrumentsFor(deps, session.districtId);
  const context = contextFor(loaded.student, deps.clock.now().toISOString().slice(0, 10));
  for (const id of session.instrumentIds) {
    const instrument = library.get(id);
    if (!instrument || loaded.recorded.has(id)) continue;
    const given = session.answers[id] ?? {};
    const ctx = context(instrument.definition);
    const result = instrument.score(given, ctx, { abandoned: true });
    await recordResult(deps, {
      districtId: session.districtId,
      student: loaded.student,
      instrument,
      answers: given,
      context: ctx,
      source: 'screen',
      windowId: session.windowId,
      sessionId: session.id,
      administeredAt: session.startedAt ?? deps.clock.now(),
      alertReportId: alertUrgencyOf(result.flags) ? session.alertReportId : null,
      storeIncomplete: true,
      abandoned: true,
    });
  }
}

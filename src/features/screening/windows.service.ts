import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { allowingGrant, can } from '../../access/policy.ts';
import { recordStudentsShown } from '../../platform/audit/students-shown.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { sha256 } from '../../platform/secrets.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { roleGrants } from '../accounts/accounts.tables.ts';
import { districts, schools } from '../districts/districts.tables.ts';
import { students } from '../students/students.tables.ts';
import { consentRowsOf } from './consent.repository.ts';
import type { ConsentRow } from './consent.rules.ts';
import { describeAges, validatedAges } from './definition.schema.ts';
import { type ConsentPolicy, eligibility, estimatedAge } from './eligibility.rules.ts';
import { instrumentsFor } from './instruments.service.ts';
import type { Instrument } from './library.ts';
import { formatScreenCode } from './screen.rules.ts';
import { closeAbandonedScreens } from './screen.service.ts';
import type { WindowInput } from './screening.schema.ts';
import { screeningNotices, screeningResults, screeningSessions, screeningWindows } from './screening.tables.ts';

type Window = typeof screeningWindows.$inferSelect;

/** Creates a screening window. Every school must be one the actor runs screening for. */
export async function createWindow(deps: Deps, actor: Actor, input: WindowInput) {
  for (const schoolId of input.schoolIds) if (!can(actor, 'screening.manage', { schoolId })) throw notFound('One of the schools');
  if (input.closesOn < input.opensOn) throw badRequest('The window closes before it opens; check the dates.');
  const library = await instrumentsFor(deps, actor.districtId);
  for (const id of input.instrumentIds) {
    const instrument = library.get(id);
    if (!instrument) throw badRequest(`"${id}" is not an instrument of this district. Choose from: ${[...library.keys()].join(', ')}.`);
    if (instrument.definition.respondent !== 'student') throw badRequest(`"${id}" is rated by staff, not answered by students; record it per student instead.`);
    const refusal = gradesOutsideAges(instrument.definition, input.grades);
    if (refusal) throw badRequest(refusal);
  }
  return withTenant(deps.db.app, actor, async (tx) => {
    const found = await tx.select({ id: schools.id }).from(schools).where(inArray(schools.id, input.schoolIds));
    if (found.length !== new Set(input.schoolIds).size) throw notFound('One of the schools');
    if (input.proctorUserIds.length > 0) {
      const proctors = await tx.selectDistinct({ userId: roleGrants.userId }).from(roleGrants).where(inArray(roleGrants.userId, input.proctorUserIds));
      if (proctors.length !== new Set(input.proctorUserIds).size) throw badRequest('Every proctor must be a person with a role in this district.');
    }
    const id = deps.ids.uuid();
    await tx.insert(screeningWindows).values({ id, districtId: actor.districtId, ...input, createdBy: actor.userId, createdAt: deps.clock.now() });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'screening.window_created',
      subjectType: 'screening_window',
      subjectId: id,
      detail: { name: input.name, instruments: input.instrumentIds },
    });
    return { id };
  });
}

const ageRangeOf = (instrument: Instrument | undefined) => (instrument ? validatedAges(instrument.definition) : null);

/**
 * An instrument is refused for a window when no chosen grade's usual ages (the grade's age and a
 * year more) fall within the ages it was validated for; each student is checked again by age.
 */
function gradesOutsideAges(definition: Instrument['definition'], grades: readonly string[]): string | null {
  const ages = validatedAges(definition);
  if (!ages) return null;
  const fits = grades.some((g) => {
    const youngest = estimatedAge(g);
    return youngest + 1 >= ages.min && (ages.max === null || youngest <= ages.max);
  });
  if (fits) return null;
  return `${definition.name} is validated for ${describeAges(ages)}${ages.source ? ` (${ages.source})` : ''}; none of the chosen grades (${grades.join(', ')}) is that age. Choose other grades or another instrument.`;
}

/** Windows in the schools the actor works in, newest first. */
export async function listWindows(deps: Deps, actor: Actor) {
  if (!can(actor, 'screening.viewDashboard', null) && !actor.grants.some((g) => g.role === 'staff')) throw notFound('Screening windows');
  return withTenant(deps.db.app, actor, async (tx) => {
    const rows = await tx.select().from(screeningWindows).orderBy(desc(screeningWindows.opensOn)).limit(200);
    return rows.filter((w) => mayView(actor, w)).map(windowView);
  });
}

function windowView(w: Window) {
  return {
    id: w.id,
    name: w.name,
    schoolIds: w.schoolIds,
    grades: w.grades,
    instrumentIds: w.instrumentIds,
    opensOn: w.opensOn,
    closesOn: w.closesOn,
    proctorUserIds: w.proctorUserIds,
  };
}

/** District-wide roles see every window; others the windows of their schools, or that name them as proctor. */
function mayView(actor: Actor, w: Window): boolean {
  if (actor.grants.some((g) => g.role === 'analyst')) return true;
  if (w.proctorUserIds.includes(actor.userId)) return true;
  return w.schoolIds.some((schoolId) => can(actor, 'screening.readResults', { schoolId }) || can(actor, 'screening.manage', { schoolId }));
}

export function mayProctor(actor: Actor, w: Window, schoolId: string): boolean {
  if (!w.schoolIds.includes(schoolId)) return false;
  if (can(actor, 'screening.manage', { schoolId })) return true;
  return w.proctorUserIds.includes(actor.userId) && can(actor, 'screening.proctor', { schoolId });
}

export async function loadWindow(tx: Transaction, actor: Actor, windowId: string): Promise<Window> {
  const [w] = isUuid(windowId) ? await tx.select().from(screeningWindows).where(eq(screeningWindows.id, windowId)) : [];
  if (!w || !mayView(actor, w)) throw notFound('That screening window');
  return w;
}

export async function consentPolicyOf(tx: Transaction, districtId: string): Promise<ConsentPolicy & { timeZone: string }> {
  const [d] = await tx.select().from(districts).where(eq(districts.id, districtId));
  if (!d) throw notFound('District');
  return { consent: d.screeningConsent, selfConsentAge: d.screeningSelfConsentAge, noticeDays: d.screeningNoticeDays, timeZone: d.timeZone };
}

/**
 * Each student in the window's schools and grades with where they stand: opted out, waiting for
 * consent or the notice period, code issued, screened, absent. Names only, never results; each
 * name is a row in that student's access log.
 */
export async function windowRoster(deps: Deps, actor: Actor, windowId: string) {
  const library = await instrumentsFor(deps, actor.districtId);
  return withTenant(deps.db.app, actor, async (tx) => {
    const w = await loadWindow(tx, actor, windowId);
    const schoolIds = w.schoolIds.filter((schoolId) => mayProctor(actor, w, schoolId));
    if (schoolIds.length === 0) throw notFound('That screening window');
    const policy = await consentPolicyOf(tx, actor.districtId);
    const today = districtDay(deps.clock.now(), policy.timeZone);
    const roster = await tx
      .select({
        id: students.id,
        firstName: students.firstName,
        lastName: students.lastName,
        localId: students.localId,
        grade: students.grade,
        dateOfBirth: students.dateOfBirth,
        schoolId: students.schoolId,
        school: schools.name,
      })
      .from(students)
      .innerJoin(schools, eq(schools.id, students.schoolId))
      .where(and(eq(students.active, true), inArray(students.schoolId, schoolIds), inArray(students.grade, w.grades as (typeof students.grade._.data)[])))
      .orderBy(asc(students.lastName), asc(students.firstName))
      .limit(5000);
    const ids = roster.map((s) => s.id);
    const facts = await studentFacts(tx, w.id, ids);
    const instruments = w.instrumentIds.map((id) => ({ id, ages: ageRangeOf(library.get(id)) }));
    // Every student on the roster is a name seen by whoever runs or proctors the window.
    const shown = roster.map((s) => {
      const grant = allowingGrant(actor, 'screening.manage', { schoolId: s.schoolId });
      return { studentId: s.id, basis: grant ? { grant, school: s.school } : { named: 'window_proctor' as const } };
    });
    await recordStudentsShown(deps.audit, tx, actor.districtId, auditActor(actor), 'screening_roster', shown, {
      action: 'screening.roster_read',
      subjectType: 'screening_window',
      subjectId: w.id,
      detail: { students: roster.length },
    });
    return {
      window: windowView(w),
      students: roster.map((s) => {
        const f = facts.get(s.id);
        const e = eligibility({ student: s, today, window: w, instruments, policy, consents: f?.consents ?? [], firstNoticeOn: f?.noticeOn ?? null });
        const status = f?.screened ? 'screened' : (f?.session ?? (e.status === 'eligible' ? 'not_started' : e.status));
        return {
          id: s.id,
          name: `${s.lastName}, ${s.firstName}`,
          localId: s.localId,
          grade: s.grade,
          school: s.school,
          status: f?.heldSessionId ? ('held' as const) : status,
          /** Imminent risk during the screen: keep the student with you; release the device here. */
          heldSessionId: f?.heldSessionId ?? null,
          eligible: e.status === 'eligible',
          instruments: e.instruments,
          reason: e.reason,
        };
      }),
    };
  });
}

type Facts = {
  consents: ConsentRow[];
  noticeOn: string | null;
  /** `declined`: the student chose "I'd rather not"; never shown or counted as absent. */
  session: 'issued' | 'started' | 'absent' | 'declined' | null;
  screened: boolean;
  heldSessionId?: string;
};

async function studentFacts(tx: Transaction, windowId: string, ids: string[]): Promise<Map<string, Facts>> {
  const facts = new Map<string, Facts>();
  if (ids.length === 0) return facts;
  const fact = (id: string) => {
    const f = facts.get(id) ?? { consents: [], noticeOn: null, session: null, screened: false };
    facts.set(id, f);
    return f;
  };
  for (const [studentId, rows] of await consentRowsOf(tx, ids, windowId)) fact(studentId).consents = rows;
  const notices = await tx
    .select({ studentId: screeningNotices.studentId, first: sql<string>`min(${screeningNotices.sentAt})::date::text` })
    .from(screeningNotices)
    .where(and(eq(screeningNotices.windowId, windowId), inArray(screeningNotices.studentId, ids)))
    .groupBy(screeningNotices.studentId);
  for (const n of notices) fact(n.studentId).noticeOn = n.first;
  const sessions = await tx
    .selectDistinctOn([screeningSessions.studentId], { studentId: screeningSessions.studentId, status: screeningSessions.status })
    .from(screeningSessions)
    .where(and(eq(screeningSessions.windowId, windowId), inArray(screeningSessions.studentId, ids)))
    .orderBy(screeningSessions.studentId, desc(screeningSessions.issuedAt));
  for (const s of sessions) {
    if (s.status === 'completed') fact(s.studentId).screened = true;
    else if (s.status !== 'void') fact(s.studentId).session = s.status;
  }
  const screened = await tx
    .selectDistinct({ studentId: screeningResults.studentId })
    .from(screeningResults)
    .where(and(eq(screeningResults.windowId, windowId), inArray(screeningResults.studentId, ids)));
  for (const r of screened) fact(r.studentId).screened = true;
  const held = await tx
    .select({ id: screeningSessions.id, studentId: screeningSessions.studentId })
    .from(screeningSessions)
    .where(
      and(
        eq(screeningSessions.windowId, windowId),
        inArray(screeningSessions.studentId, ids),
        isNotNull(screeningSessions.heldAt),
        isNull(screeningSessions.releasedAt),
      ),
    );
  for (const h of held) fact(h.studentId).heldSessionId = h.id;
  return facts;
}

/**
 * Issues a one-time code for one eligible student (a new code voids the previous unused one).
 * The code is shown once, to the proctor, and stored only as a hash; it works until the end of
 * the day in the district's time zone or until the student finishes.
 */
export async function issueCode(deps: Deps, actor: Actor, windowId: string, studentId: string) {
  const library = await instrumentsFor(deps, actor.districtId);
  const issued = await withTenant(deps.db.app, actor, async (tx) => {
    const w = await loadWindow(tx, actor, windowId);
    const [student] = isUuid(studentId) ? await tx.select().from(students).where(eq(students.id, studentId)) : [];
    if (!student || !mayProctor(actor, w, student.schoolId) || !w.grades.includes(student.grade)) throw notFound('That student in this window');
    const started = await tx
      .select({ id: screeningSessions.id })
      .from(screeningSessions)
      .where(and(eq(screeningSessions.windowId, w.id), eq(screeningSessions.studentId, student.id), eq(screeningSessions.status, 'started')));
    const policy = await consentPolicyOf(tx, actor.districtId);
    const today = districtDay(deps.clock.now(), policy.timeZone);
    if (today < w.opensOn || today > w.closesOn) throw badRequest(`This window is open from ${w.opensOn} to ${w.closesOn}.`);
    const facts = (await studentFacts(tx, w.id, [student.id])).get(student.id);
    if (facts?.screened) throw badRequest('This student has already been screened in this window.');
    const e = eligibility({
      student,
      today,
      window: w,
      instruments: w.instrumentIds.map((id) => ({ id, ages: ageRangeOf(library.get(id)) })),
      policy,
      consents: facts?.consents ?? [],
      firstNoticeOn: facts?.noticeOn ?? null,
    });
    if (e.status !== 'eligible') throw badRequest(`This student cannot be screened yet: ${e.reason}`);
    await tx
      .update(screeningSessions)
      .set({ status: 'void', codeHash: null })
      // A student who declined and now asks to take part: the new code supersedes the "no" (the audit trail keeps it).
      .where(
        and(
          eq(screeningSessions.windowId, w.id),
          eq(screeningSessions.studentId, student.id),
          inArray(screeningSessions.status, ['issued', 'absent', 'declined']),
        ),
      );
    const code = formatScreenCode(randomBytes(5));
    const now = deps.clock.now();
    const id = deps.ids.uuid();
    await tx.insert(screeningSessions).values({
      id,
      districtId: actor.districtId,
      windowId: w.id,
      studentId: student.id,
      schoolId: student.schoolId,
      status: 'issued',
      instrumentIds: e.instruments,
      codeHash: sha256(code),
      codeExpiresAt: new Date(now.getTime() + 12 * 3_600_000),
      issuedBy: actor.userId,
      issuedAt: now,
    });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'screening.code_issued',
      subjectType: 'screening_session',
      subjectId: id,
      studentId: student.id,
    });
    return { code, instruments: e.instruments, expiresAt: new Date(now.getTime() + 12 * 3_600_000).toISOString(), started: started.map((r) => r.id) };
  });
  // The screen the new code replaces is over: what was answered is scored and kept.
  if (issued.started.length > 0) await closeAbandonedScreens(deps, { sessionIds: issued.started });
  return { code: issued.code, instruments: issued.instruments, expiresAt: issued.expiresAt };
}

/** Marks a student absent for the window (they can still be given a code later). */
export async function markAbsent(deps: Deps, actor: Actor, windowId: string, studentId: string) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const w = await loadWindow(tx, actor, windowId);
    const [student] = isUuid(studentId) ? await tx.select().from(students).where(eq(students.id, studentId)) : [];
    if (!student || !mayProctor(actor, w, student.schoolId)) throw notFound('That student in this window');
    if ((await studentFacts(tx, w.id, [student.id])).get(student.id)?.session === 'declined') {
      throw badRequest('This student chose not to take part in this window; that is their choice, not an absence.');
    }
    await tx
      .update(screeningSessions)
      .set({ status: 'void', codeHash: null })
      .where(and(eq(screeningSessions.windowId, w.id), eq(screeningSessions.studentId, student.id), eq(screeningSessions.status, 'issued')));
    await tx.insert(screeningSessions).values({
      id: deps.ids.uuid(),
      districtId: actor.districtId,
      windowId: w.id,
      studentId: student.id,
      schoolId: student.schoolId,
      status: 'absent',
      issuedBy: actor.userId,
      issuedAt: deps.clock.now(),
    });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'screening.absent',
      subjectType: 'screening_window',
      subjectId: w.id,
      studentId: student.id,
    });
    return { status: 'absent' as const };
  });
}

import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { allowingGrant, can } from '../../access/policy.ts';
import { studentsProctoredBy } from '../../access/scope.ts';
import { roleGrants } from '../../data/accounts.ts';
import { districts, schools } from '../../data/districts.ts';
import { screeningSessions, screeningWindows } from '../../data/screening.ts';
import { students } from '../../data/students.ts';
import { recordStudentsShown } from '../../platform/audit/students-shown.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { describeAges, validatedAges } from './definition.schema.ts';
import { type ConsentPolicy, eligibility, estimatedAge } from './eligibility.rules.ts';
import { eligibilityReasonEs } from './eligibility.text.ts';
import { instrumentsFor } from './instruments.service.ts';
import type { Instrument } from './library.ts';
import { assignedClasses, classesOfStudents } from './proctor.repository.ts';
import { sittingStatus } from './proctor.rules.ts';
import { closeAbandonedScreens } from './screen.service.ts';
import type { WindowInput } from './screening.schema.ts';
import { insertAbsence, insertCode, studentFacts } from './sittings.repository.ts';

export type Window = typeof screeningWindows.$inferSelect;

/** Creates a screening window. Every school must be one the actor runs screening for. */
export async function createWindow(deps: Deps, actor: Actor, input: WindowInput) {
  for (const schoolId of input.schoolIds) if (!can(actor, 'screening.manage', { schoolId })) throw notFound('One of the schools');
  if (input.closesOn < input.opensOn)
    throw badRequest('The window closes before it opens; check the dates.', {
      code: 'window_dates_reversed',
      es: 'La ventana cierra antes de abrir; revise las fechas.',
    });
  const library = await instrumentsFor(deps, actor.districtId);
  for (const id of input.instrumentIds) {
    const instrument = library.get(id);
    const choices = [...library.keys()].join(', ');
    if (!instrument)
      throw badRequest(`"${id}" is not an instrument of this district. Choose from: ${choices}.`, {
        code: 'instrument_unknown',
        es: `"${id}" no es un instrumento de este distrito. Elija entre: ${choices}.`,
      });
    if (instrument.definition.respondent !== 'student')
      throw badRequest(`"${id}" is rated by staff, not answered by students; record it per student instead.`, {
        code: 'instrument_rated_by_staff',
        es: `"${id}" lo califica el personal; los estudiantes no lo responden. Regístrelo por estudiante.`,
      });
    const refusal = gradesOutsideAges(instrument.definition, input.grades);
    if (refusal) throw badRequest(refusal.en, { code: 'instrument_ages', es: refusal.es });
  }
  return withTenant(deps.db.app, actor, async (tx) => {
    const found = await tx.select({ id: schools.id }).from(schools).where(inArray(schools.id, input.schoolIds));
    if (found.length !== new Set(input.schoolIds).size) throw notFound('One of the schools');
    if (input.proctorUserIds.length > 0) {
      const proctors = await tx.selectDistinct({ userId: roleGrants.userId }).from(roleGrants).where(inArray(roleGrants.userId, input.proctorUserIds));
      if (proctors.length !== new Set(input.proctorUserIds).size)
        throw badRequest('Every proctor must be a person with a role in this district.', {
          code: 'proctor_without_role',
          es: 'Cada persona que aplica la evaluación debe tener un rol en este distrito.',
        });
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

/** The ages an instrument was validated for, or null (given to every age). */
export const ageRangeOf = (instrument: Instrument | undefined) => (instrument ? validatedAges(instrument.definition) : null);

/**
 * An instrument is refused for a window when no chosen grade's usual ages (the grade's age and a
 * year more) fall within the ages it was validated for; each student is checked again by age.
 */
function gradesOutsideAges(definition: Instrument['definition'], grades: readonly string[]): { en: string; es: string } | null {
  const ages = validatedAges(definition);
  if (!ages) return null;
  const fits = grades.some((g) => {
    const youngest = estimatedAge(g);
    return youngest + 1 >= ages.min && (ages.max === null || youngest <= ages.max);
  });
  if (fits) return null;
  const source = ages.source ? ` (${ages.source})` : '';
  const agesEs = ages.max === null ? `desde los ${ages.min} años` : `de ${ages.min} a ${ages.max} años`;
  return {
    en: `${definition.name} is validated for ${describeAges(ages)}${source}; none of the chosen grades (${grades.join(', ')}) is that age. Choose other grades or another instrument.`,
    es: `${definition.name} está validado para estudiantes ${agesEs}${source}; ninguno de los grados elegidos (${grades.join(', ')}) tiene esa edad. Elija otros grados u otro instrumento.`,
  };
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

/**
 * The students among these the actor may act for in this window (give a code, mark consent or an
 * absence, release a held device): every student of a school where the actor runs screening; for
 * a proctor the window names, the students of the classes assigned to them in it, no others
 * (decision 31). One query, however many students.
 */
export async function proctoredStudents(tx: Transaction, actor: Actor, w: Window, studentIds: readonly string[]) {
  const ids = [...new Set(studentIds)].filter(isUuid);
  if (ids.length === 0) return [];
  const rows = await tx
    .select({
      id: students.id,
      firstName: students.firstName,
      lastName: students.lastName,
      preferredName: students.preferredName,
      localId: students.localId,
      grade: students.grade,
      schoolId: students.schoolId,
      dateOfBirth: students.dateOfBirth,
      homeLanguage: students.homeLanguage,
      active: students.active,
      inAssignedClass: sql<boolean>`${studentsProctoredBy(actor, w.id)}`,
    })
    .from(students)
    .where(inArray(students.id, ids));
  const named = w.proctorUserIds.includes(actor.userId);
  return rows.filter(
    (s) =>
      w.schoolIds.includes(s.schoolId) && can(actor, 'screening.proctorStudent', { schoolId: s.schoolId, proctorsStudentsClass: named && s.inAssignedClass }),
  );
}

/** May the actor act for this one student in this window? See `proctoredStudents`. */
export async function mayProctorStudent(tx: Transaction, actor: Actor, w: Window, student: { id: string }): Promise<boolean> {
  return (await proctoredStudents(tx, actor, w, [student.id])).length > 0;
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
    // Whole schools for those who run screening there; a proctor's assigned classes, nothing more.
    const managed = w.schoolIds.filter((schoolId) => can(actor, 'screening.manage', { schoolId }));
    const proctored = w.proctorUserIds.includes(actor.userId)
      ? w.schoolIds.filter((schoolId) => !managed.includes(schoolId) && can(actor, 'screening.proctorStudent', { schoolId, proctorsStudentsClass: true }))
      : [];
    if (managed.length === 0 && proctored.length === 0) throw notFound('That screening window');
    const mine = await assignedClasses(tx, w.id, actor.userId);
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
      .where(
        and(
          eq(students.active, true),
          inArray(students.grade, w.grades as (typeof students.grade._.data)[]),
          or(
            managed.length > 0 ? inArray(students.schoolId, managed) : sql`false`,
            proctored.length > 0 ? and(inArray(students.schoolId, proctored), studentsProctoredBy(actor, w.id)) : sql`false`,
          ),
        ),
      )
      .orderBy(asc(students.lastName), asc(students.firstName))
      .limit(5000);
    const ids = roster.map((s) => s.id);
    const facts = await studentFacts(tx, w.id, ids, policy.timeZone);
    const inClasses = await classesOfStudents(
      tx,
      mine.map((c) => c.id),
      ids,
    );
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
      /** The classes assigned to the actor as a proctor in this window (empty for those who run it without proctoring). */
      classes: mine.map(({ id, title, school }) => ({ id, title, school })),
      students: roster.map((s) => {
        const f = facts.get(s.id);
        const e = eligibility({ student: s, today, window: w, instruments, policy, consents: f?.consents ?? [], firstNoticeOn: f?.noticeOn ?? null });
        const status = sittingStatus(f && { ...f, held: Boolean(f.heldSessionId) }, e.status);
        return {
          id: s.id,
          name: `${s.lastName}, ${s.firstName}`,
          localId: s.localId,
          grade: s.grade,
          school: s.school,
          classIds: inClasses.get(s.id) ?? [],
          status,
          /** Imminent risk during the screen: keep the student with you; release the device here. */
          heldSessionId: f?.heldSessionId ?? null,
          eligible: e.status === 'eligible',
          instruments: e.instruments,
          reason: e.reason,
          words: e.words,
        };
      }),
    };
  });
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
    if (!student || !w.grades.includes(student.grade) || !(await mayProctorStudent(tx, actor, w, student))) throw notFound('That student in this window');
    const started = await tx
      .select({ id: screeningSessions.id })
      .from(screeningSessions)
      .where(and(eq(screeningSessions.windowId, w.id), eq(screeningSessions.studentId, student.id), eq(screeningSessions.status, 'started')));
    const policy = await consentPolicyOf(tx, actor.districtId);
    const today = districtDay(deps.clock.now(), policy.timeZone);
    if (today < w.opensOn || today > w.closesOn)
      throw badRequest(`This window is open from ${w.opensOn} to ${w.closesOn}.`, {
        code: 'window_not_open',
        es: `Esta ventana está abierta del ${w.opensOn} al ${w.closesOn}.`,
      });
    const facts = (await studentFacts(tx, w.id, [student.id], policy.timeZone)).get(student.id);
    if (facts?.screened)
      throw badRequest('This student has already been screened in this window.', {
        code: 'already_screened',
        es: 'Este estudiante ya fue evaluado en esta ventana.',
      });
    const e = eligibility({
      student,
      today,
      window: w,
      instruments: w.instrumentIds.map((id) => ({ id, ages: ageRangeOf(library.get(id)) })),
      policy,
      consents: facts?.consents ?? [],
      firstNoticeOn: facts?.noticeOn ?? null,
    });
    if (e.status !== 'eligible')
      throw badRequest(`This student cannot be screened yet: ${e.reason}`, {
        code: 'not_eligible',
        es: `Este estudiante todavía no puede ser evaluado: ${eligibilityReasonEs(e.words)}`,
      });
    const { code, expiresAt } = await insertCode(tx, deps, actor, { windowId: w.id, student, instruments: e.instruments });
    return { code, instruments: e.instruments, expiresAt: expiresAt.toISOString(), started: started.map((r) => r.id) };
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
    if (!student || !(await mayProctorStudent(tx, actor, w, student))) throw notFound('That student in this window');
    const { timeZone } = await consentPolicyOf(tx, actor.districtId);
    if ((await studentFacts(tx, w.id, [student.id], timeZone)).get(student.id)?.session === 'declined') {
      throw badRequest('This student chose not to take part in this window; that is their choice, not an absence.', {
        code: 'student_declined',
        es: 'Este estudiante decidió no participar en esta ventana; es su decisión, no una ausencia.',
      });
    }
    await insertAbsence(tx, deps, actor, { windowId: w.id, student });
    return { status: 'absent' as const };
  });
}

import { eq } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { allowingGrant, can } from '../../access/policy.ts';
import { screeningConsents, screeningWindows } from '../../data/screening.ts';
import { recordStudentsShown } from '../../platform/audit/students-shown.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { cardInstructions } from './card.text.ts';
import { schoolYearOf } from './consent.rules.ts';
import { eligibility } from './eligibility.rules.ts';
import { instrumentsFor } from './instruments.service.ts';
import { assignedClasses, classById, classesOfSchools, possibleProctors, replaceAssignments, studentIdsOfClass, worksAt } from './proctor.repository.ts';
import { guardianWord, type MarkSkipped, markSkipped, printsCode, sittingStatus } from './proctor.rules.ts';
import type { MarksInput } from './screening.schema.ts';
import { insertAbsence, insertCode, studentFacts } from './sittings.repository.ts';
import { ageRangeOf, consentPolicyOf, loadWindow, proctoredStudents, type Window } from './windows.service.ts';

/**
 * Screening day for a proctor (decision 31): an administrator or counselor who runs the window
 * gives each proctor their classes; the proctor then sees, prints codes for and marks consent and
 * absence for those classes' students only, never a result.
 */

/** The window's schools the actor runs screening for; none is a 404 (forbidden and missing look the same). */
function managedSchools(actor: Actor, w: Window): string[] {
  const managed = w.schoolIds.filter((schoolId) => can(actor, 'screening.manage', { schoolId }));
  if (managed.length === 0) throw notFound('That screening window');
  return managed;
}

/** The window's proctors with their classes, the classes that can be given, and who can proctor. Names no student. */
export async function windowProctors(deps: Deps, actor: Actor, windowId: string) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const w = await loadWindow(tx, actor, windowId);
    const managed = managedSchools(actor, w);
    const classes = await classesOfSchools(tx, managed);
    const assigned = (await assignedClasses(tx, w.id)).filter((c) => managed.includes(c.schoolId));
    const people = await possibleProctors(tx, managed);
    const names = new Map(people.map((p) => [p.userId, p.name]));
    const proctorIds = [...new Set([...w.proctorUserIds, ...assigned.map((a) => a.userId)])];
    return {
      proctors: proctorIds.map((userId) => ({
        userId,
        name: names.get(userId) ?? null,
        classIds: assigned.filter((a) => a.userId === userId).map((a) => a.id),
      })),
      classes,
      people,
    };
  });
}

/**
 * Gives a proctor their classes in a window (the list replaces the classes the actor may assign;
 * classes at schools the actor does not run stay as they were). The proctor is named on the window
 * while they have a class, and no longer once they have none.
 */
export async function setProctorClasses(deps: Deps, actor: Actor, windowId: string, userId: string, classIds: readonly string[]) {
  if (!isUuid(userId)) throw notFound('That person');
  return withTenant(deps.db.app, actor, async (tx) => {
    const w = await loadWindow(tx, actor, windowId);
    const managed = managedSchools(actor, w);
    const wanted = [...new Set(classIds)];
    const found = new Map((await classesOfSchools(tx, managed)).map((c) => [c.id, c]));
    if (wanted.some((id) => !found.has(id))) throw notFound('One of the classes');
    const people = new Map((await possibleProctors(tx, managed)).map((p) => [p.userId, p.name]));
    for (const schoolId of new Set(wanted.map((id) => found.get(id)?.schoolId as string))) {
      if (!(await worksAt(tx, userId, schoolId))) {
        const school = [...found.values()].find((c) => c.schoolId === schoolId)?.school ?? '';
        throw badRequest(`${people.get(userId) ?? 'This person'} has no role at ${school}; a proctor must work with students there.`, {
          code: 'proctor_not_at_school',
          es: `${people.get(userId) ?? 'Esta persona'} no tiene un rol en ${school}; quien aplica la evaluación debe trabajar con los estudiantes de esa escuela.`,
        });
      }
    }
    const kept = (await assignedClasses(tx, w.id, userId)).filter((c) => !managed.includes(c.schoolId)).map((c) => c.id);
    const all = [...kept, ...wanted];
    await replaceAssignments(tx, { districtId: actor.districtId, windowId: w.id, userId, classIds: all, ids: () => deps.ids.uuid(), now: deps.clock.now() });
    const others = w.proctorUserIds.filter((id) => id !== userId);
    await tx
      .update(screeningWindows)
      .set({ proctorUserIds: all.length > 0 ? [...others, userId] : others })
      .where(eq(screeningWindows.id, w.id));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'screening.proctor_classes_set',
      subjectType: 'screening_window',
      subjectId: w.id,
      detail: { proctor: userId, classes: all },
    });
    return { userId, classIds: all };
  });
}

/** The class, when the actor runs screening at its school or proctors it in this window; otherwise a 404. */
async function classToProctor(tx: Transaction, actor: Actor, w: Window, classId: string) {
  const found = isUuid(classId) ? await classById(tx, classId) : undefined;
  if (!found || !w.schoolIds.includes(found.schoolId)) throw notFound('That class in this window');
  const assigned = w.proctorUserIds.includes(actor.userId) && (await assignedClasses(tx, w.id, actor.userId)).some((c) => c.id === classId);
  if (!can(actor, 'screening.proctorStudent', { schoolId: found.schoolId, proctorsStudentsClass: assigned })) throw notFound('That class in this window');
  return found;
}

/**
 * Codes for a whole class, to print on one page and as cards to cut out: every student of the
 * class, with a new code for each who may be screened and has not begun, and for the others where
 * they stand. Codes are shown this once (only their hashes are kept): printing again gives new
 * ones and the earlier unused ones stop working. Every name printed is in that student's access log.
 */
export async function printClassCodes(deps: Deps, actor: Actor, windowId: string, classId: string) {
  const library = await instrumentsFor(deps, actor.districtId);
  return withTenant(deps.db.app, actor, async (tx) => {
    const w = await loadWindow(tx, actor, windowId);
    const found = await classToProctor(tx, actor, w, classId);
    const policy = await consentPolicyOf(tx, actor.districtId);
    const today = districtDay(deps.clock.now(), policy.timeZone);
    if (today < w.opensOn || today > w.closesOn)
      throw badRequest(`This window is open from ${w.opensOn} to ${w.closesOn}.`, {
        code: 'window_not_open',
        es: `Esta ventana está abierta del ${w.opensOn} al ${w.closesOn}.`,
      });
    const members = (await proctoredStudents(tx, actor, w, await studentIdsOfClass(tx, found.id)))
      .filter((s) => s.active)
      .sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName));
    const facts = await studentFacts(
      tx,
      w.id,
      members.map((s) => s.id),
      policy.timeZone,
    );
    const instruments = w.instrumentIds.map((id) => ({ id, ages: ageRangeOf(library.get(id)) }));
    const screenUrl = `${deps.settings.publicUrl}/screen`;
    const rows = [];
    let expiresAt: Date | null = null;
    for (const s of members) {
      const f = facts.get(s.id);
      const e = eligibility({ student: s, today, window: w, instruments, policy, consents: f?.consents ?? [], firstNoticeOn: f?.noticeOn ?? null });
      const status = sittingStatus(f && { ...f, held: Boolean(f.heldSessionId) }, e.status, w.grades.includes(s.grade));
      const issued = printsCode(status) ? await insertCode(tx, deps, actor, { windowId: w.id, student: s, instruments: e.instruments }) : null;
      expiresAt = issued?.expiresAt ?? expiresAt;
      rows.push({
        id: s.id,
        name: `${s.lastName}, ${s.firstName}`,
        cardName: `${s.preferredName ?? s.firstName} ${s.lastName}`,
        localId: s.localId,
        grade: s.grade,
        status: issued ? ('issued' as const) : status,
        code: issued?.code ?? null,
        card: issued ? cardInstructions(s.homeLanguage, screenUrl) : null,
      });
    }
    const shown = members.map((s) => {
      const grant = allowingGrant(actor, 'screening.manage', { schoolId: s.schoolId });
      return { studentId: s.id, basis: grant ? { grant, school: found.school } : { named: 'window_proctor' as const } };
    });
    await recordStudentsShown(deps.audit, tx, actor.districtId, auditActor(actor), 'screening_roster', shown, {
      action: 'screening.codes_printed',
      subjectType: 'screening_window',
      subjectId: w.id,
      detail: { class: found.id, students: rows.length, codes: rows.filter((r) => r.code).length },
    });
    return {
      window: { id: w.id, name: w.name },
      class: { id: found.id, title: found.title, school: found.school },
      screenUrl,
      expiresAt: expiresAt?.toISOString() ?? null,
      students: rows,
    };
  });
}

/**
 * Consent received or refused (from the paper forms), or absent, for several students at once.
 * Every student must be one the actor may act for in this window, or nothing is stored (404). A
 * mark that does not apply to a student is skipped with the reason; each change is its own audit
 * event in that student's record, as if recorded one at a time.
 */
export async function markStudents(deps: Deps, actor: Actor, windowId: string, input: MarksInput) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const w = await loadWindow(tx, actor, windowId);
    const wanted = [...new Set(input.studentIds)];
    const allowed = await proctoredStudents(tx, actor, w, wanted);
    if (allowed.length !== wanted.length || allowed.some((s) => !s.active || !w.grades.includes(s.grade))) throw notFound('One of the students in this window');
    const policy = await consentPolicyOf(tx, actor.districtId);
    const facts = await studentFacts(tx, w.id, wanted, policy.timeZone);
    const scope = { windowId: w.id, schoolYear: schoolYearOf(w.opensOn) };
    const byId = new Map(allowed.map((s) => [s.id, s]));
    const marked: string[] = [];
    const skipped: { studentId: string; reason: MarkSkipped }[] = [];
    for (const id of wanted) {
      const s = byId.get(id) as (typeof allowed)[number];
      const f = facts.get(id);
      // Eligibility does not change what a mark may do; only where the student stands does.
      const status = sittingStatus(f && { ...f, held: Boolean(f.heldSessionId) }, 'eligible');
      const reason = markSkipped(input.mark, status, guardianWord(f?.consents ?? [], scope, w.instrumentIds));
      if (reason) {
        skipped.push({ studentId: id, reason });
        continue;
      }
      if (input.mark === 'absent') await insertAbsence(tx, deps, actor, { windowId: w.id, student: s });
      else {
        const kind = input.mark === 'consent_received' ? 'consent' : 'opt_out';
        const values = { windowId: w.id, schoolYear: scope.schoolYear, instrumentId: null };
        const recordId = deps.ids.uuid();
        await tx.insert(screeningConsents).values({
          id: recordId,
          districtId: actor.districtId,
          studentId: id,
          kind,
          source: 'paper',
          ...values,
          recordedBy: actor.userId,
          recordedAt: deps.clock.now(),
        });
        await deps.audit.append(tx, actor.districtId, auditActor(actor), {
          action: `screening.consent.${kind}`,
          subjectType: 'student',
          subjectId: id,
          studentId: id,
          detail: { source: 'paper', ...values },
        });
      }
      marked.push(id);
    }
    return { mark: input.mark, marked, skipped };
  });
}

import { and, eq, inArray } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { allowingGrant, can } from '../../access/policy.ts';
import { districts, schools } from '../../data/districts.ts';
import { screeningConsents, screeningNotices } from '../../data/screening.ts';
import { guardians, studentGuardians, students } from '../../data/students.ts';
import { recordStudentsShown } from '../../platform/audit/students-shown.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { familyContactIsHeld, sendToFamily } from '../family-contact/index.ts';
import { guardiansOf } from '../students/index.ts';
import { consentRowsOf } from './consent.repository.ts';
import { isRefusal, schoolYearOf } from './consent.rules.ts';
import { ageOn, estimatedAge, resultRefusalIn } from './eligibility.rules.ts';
import { instrumentPageUrl, publicInstrument } from './instrument.page.ts';
import { findInstrument, instrumentsFor } from './instruments.service.ts';
import { emergencyNotice, noticeLanguage, noticeLetter } from './notice.text.ts';
import { windowsOnDay } from './result-consent.service.ts';
import { recordResult } from './results.service.ts';
import type { ConsentInput, StaffResultInput } from './screening.schema.ts';
import { consentPolicyOf, loadWindow, windowRoster } from './windows.service.ts';

async function studentFor(deps: Deps, actor: Actor, studentId: string, action: 'screening.manage' | 'screening.readResults' | 'screening.proctor') {
  return withTenant(deps.db.app, actor, async (tx) => {
    const [student] = isUuid(studentId) ? await tx.select().from(students).where(eq(students.id, studentId)) : [];
    if (!student || !can(actor, action, { schoolId: student.schoolId })) throw notFound('That student');
    return student;
  });
}

/**
 * Records a guardian's consent, opt-out or withdrawal, or a student's own consent, with its
 * source and time, for one window (and optionally one of its instruments). Only a refusal may
 * cover all screening in a school year (decision 20).
 */
export async function recordConsent(deps: Deps, actor: Actor, studentId: string, input: ConsentInput) {
  const student = await studentFor(deps, actor, studentId, 'screening.manage');
  const library = await instrumentsFor(deps, actor.districtId);
  return withTenant(deps.db.app, actor, async (tx) => {
    if (input.guardianId) {
      const [link] = await tx
        .select()
        .from(studentGuardians)
        .where(and(eq(studentGuardians.studentId, student.id), eq(studentGuardians.guardianId, input.guardianId)));
      if (!link)
        throw badRequest('That guardian is not linked to this student.', {
          code: 'guardian_not_linked',
          es: 'Ese padre, madre o tutor no está vinculado con este estudiante.',
        });
    }
    if (input.scope === 'school_year' && !isRefusal(input.kind)) {
      throw badRequest(
        'Consent is given for one screening window at a time: choose the window. Only an opt-out or a withdrawal may cover a whole school year.',
        {
          code: 'consent_needs_window',
          es: 'El consentimiento se da para un período de evaluación a la vez: elija el período. Solo una exclusión voluntaria o un retiro del consentimiento puede abarcar todo un año escolar.',
        },
      );
    }
    if (input.scope === 'window' && !input.windowId) {
      throw badRequest(
        'Choose the screening window this is for (windowId): consent and opt-out belong to one window. An opt-out may instead cover all screening this school year (scope "school_year").',
        {
          code: 'window_required',
          es: 'Elija el período de evaluación al que corresponde: el consentimiento y la exclusión voluntaria pertenecen a un solo período. Una exclusión voluntaria puede, en cambio, abarcar todas las evaluaciones de este año escolar.',
        },
      );
    }
    const w = input.windowId ? await loadWindow(tx, actor, input.windowId) : null;
    if (w && (!w.schoolIds.includes(student.schoolId) || !w.grades.includes(student.grade))) {
      throw badRequest(`${student.firstName} ${student.lastName} is not in the schools and grades of "${w.name}".`, {
        code: 'student_outside_window',
        es: `${student.firstName} ${student.lastName} no está en las escuelas ni los grados de "${w.name}".`,
      });
    }
    if (input.instrumentId && !(w ? w.instrumentIds.includes(input.instrumentId) : library.has(input.instrumentId))) {
      throw badRequest(
        w
          ? `"${input.instrumentId}" is not given in "${w.name}" (${w.instrumentIds.join(', ')}).`
          : `"${input.instrumentId}" is not an instrument of this district.`,
        {
          code: 'instrument_not_in_window',
          es: w
            ? `"${input.instrumentId}" no se aplica en "${w.name}" (${w.instrumentIds.join(', ')}).`
            : `"${input.instrumentId}" no es un instrumento de este distrito.`,
        },
      );
    }
    const policy = await consentPolicyOf(tx, actor.districtId);
    const today = districtDay(deps.clock.now(), policy.timeZone);
    if (input.kind === 'student_consent') {
      const age = student.dateOfBirth ? ageOn(student.dateOfBirth, today) : estimatedAge(student.grade);
      if (age < policy.selfConsentAge)
        throw badRequest(`Students consent for themselves from age ${policy.selfConsentAge} in this district; ask a guardian.`, {
          code: 'self_consent_age',
          es: `En este distrito, los estudiantes dan su propio consentimiento a partir de los ${policy.selfConsentAge} años; pídaselo al padre, madre o tutor.`,
        });
    }
    const id = deps.ids.uuid();
    const scope = {
      windowId: input.scope === 'window' ? (w?.id ?? null) : null,
      schoolYear: schoolYearOf(w?.opensOn ?? today),
      instrumentId: input.instrumentId ?? null,
    };
    await tx.insert(screeningConsents).values({
      id,
      districtId: actor.districtId,
      studentId: student.id,
      guardianId: input.guardianId ?? null,
      kind: input.kind,
      source: input.source,
      ...scope,
      note: input.note ?? null,
      recordedBy: actor.userId,
      recordedAt: deps.clock.now(),
    });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: `screening.consent.${input.kind}`,
      subjectType: 'student',
      subjectId: student.id,
      studentId: student.id,
      detail: { source: input.source, ...scope },
    });
    return { id, kind: input.kind, ...scope };
  });
}

type Letter = { studentId: string; guardianId: string | null; email: string | null; language: 'en' | 'es'; subject: string; body: string };

/**
 * The notice letter for every student in the window, in each guardian's language. Notices are
 * for those who run the window; a proctor prints codes, not letters (decision 31).
 */
async function lettersFor(deps: Deps, actor: Actor, windowId: string): Promise<Letter[]> {
  const runs = await withTenant(deps.db.app, actor, async (tx) =>
    (await loadWindow(tx, actor, windowId)).schoolIds.some((schoolId) => can(actor, 'screening.manage', { schoolId })),
  );
  if (!runs) throw notFound('That screening window');
  const roster = await windowRoster(deps, actor, windowId);
  const library = await instrumentsFor(deps, actor.districtId);
  return withTenant(deps.db.app, actor, async (tx) => {
    const w = await loadWindow(tx, actor, windowId);
    const policy = await consentPolicyOf(tx, actor.districtId);
    const [district] = await tx.select({ name: districts.name }).from(districts).where(eq(districts.id, actor.districtId));
    const ids = roster.students.filter((s) => s.status !== 'screened').map((s) => s.id);
    if (ids.length === 0) return [];
    const rows = await tx
      .select({ student: students, school: schools.name, guardian: guardians })
      .from(students)
      .innerJoin(schools, eq(schools.id, students.schoolId))
      .leftJoin(studentGuardians, eq(studentGuardians.studentId, students.id))
      .leftJoin(guardians, eq(guardians.id, studentGuardians.guardianId))
      .where(inArray(students.id, ids));
    return rows.map(({ student, school, guardian }) => {
      const language = noticeLanguage(guardian?.preferredLanguage ?? student.homeLanguage);
      const instruments = w.instrumentIds.map((id) => ({
        title: library.get(id)?.definition.title[language] ?? library.get(id)?.definition.title.en ?? id,
        url: publicInstrument(library.get(id)) ? instrumentPageUrl(deps.settings.publicUrl, id, language) : null,
      }));
      const letter = noticeLetter(language, {
        studentFirstName: student.preferredName ?? student.firstName,
        schoolName: school,
        districtName: district?.name ?? '',
        opensOn: w.opensOn,
        closesOn: w.closesOn,
        instruments,
        policy: policy.consent,
        noticeDays: policy.noticeDays,
      });
      return { studentId: student.id, guardianId: guardian?.id ?? null, email: guardian?.email ?? null, language, ...letter };
    });
  });
}

/**
 * E-mails the notice to every guardian with an address and records each one (the passive-consent
 * notice period counts from the first). Returns who still needs a printed letter.
 */
export async function sendNotices(deps: Deps, actor: Actor, windowId: string) {
  const letters = await lettersFor(deps, actor, windowId);
  let emailed = 0;
  let held = 0;
  const needPrint = new Set<string>();
  for (const letter of letters) {
    if (!letter.email) {
      needPrint.add(letter.studentId);
      continue;
    }
    // While a concern of abuse names the household, a person decides first (family-contact).
    const outcome = await sendToFamily(deps, {
      districtId: actor.districtId,
      studentId: letter.studentId,
      kind: 'screening_notice',
      mail: { to: letter.email, subject: letter.subject, text: letter.body },
    });
    if (outcome === 'held') {
      held += 1;
      continue;
    }
    emailed += 1;
    await withTenant(deps.db.app, actor, (tx) =>
      tx.insert(screeningNotices).values({
        id: deps.ids.uuid(),
        districtId: actor.districtId,
        windowId,
        studentId: letter.studentId,
        guardianId: letter.guardianId,
        channel: 'email',
        language: letter.language,
        sentAt: deps.clock.now(),
      }),
    );
  }
  await withTenant(deps.db.app, actor, (tx) =>
    deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'screening.notices_sent',
      subjectType: 'screening_window',
      subjectId: windowId,
      detail: { emailed },
    }),
  );
  return { emailed, needPrintedLetter: needPrint.size, heldForAPerson: held };
}

/** Printable letters (one per page) for families without e-mail; printing records the notice. */
export async function printableNotices(deps: Deps, actor: Actor, windowId: string): Promise<Letter[]> {
  const unsent = (await lettersFor(deps, actor, windowId)).filter((l) => !l.email);
  const now = deps.clock.now();
  // A printed letter goes home like an e-mail: while a concern of abuse names the household it is
  // left out of the print, and the student's page asks a person to decide (family-contact).
  const letters = await withTenant(deps.db.app, actor, async (tx) => {
    const kept = [];
    for (const l of unsent) if (!(await familyContactIsHeld(tx, l.studentId))) kept.push(l);
    return kept;
  });
  await withTenant(deps.db.app, actor, async (tx) => {
    for (const l of letters) {
      await tx.insert(screeningNotices).values({
        id: deps.ids.uuid(),
        districtId: actor.districtId,
        windowId,
        studentId: l.studentId,
        guardianId: l.guardianId,
        channel: 'print',
        language: l.language,
        sentAt: now,
      });
    }
    // Each printed letter names a student and a guardian: one row in each student's access log.
    const shown = [];
    for (const l of letters) {
      const [student] = await tx
        .select({ schoolId: students.schoolId, school: schools.name })
        .from(students)
        .innerJoin(schools, eq(schools.id, students.schoolId))
        .where(eq(students.id, l.studentId));
      const grant = student ? allowingGrant(actor, 'screening.manage', { schoolId: student.schoolId }) : undefined;
      shown.push({ studentId: l.studentId, basis: grant ? { grant, school: student?.school ?? '' } : { named: 'window_proctor' as const } });
    }
    await recordStudentsShown(deps.audit, tx, actor.districtId, auditActor(actor), 'screening_notices', shown, {
      action: 'screening.notices_printed',
      subjectType: 'screening_window',
      subjectId: windowId,
      detail: { letters: letters.length },
    });
  });
  return letters;
}

/**
 * A result entered by staff: a teacher-rated SRSS-IE, a paper screen, or the emergency path (an
 * ASQ after a disclosure), which needs no prior consent and tells the guardian afterwards. Every
 * other entry checks consent as the student's own screen would (`resultRefusal`): the window it
 * falls in decides, and outside windows a school-year opt-out still stands.
 */
export async function recordStaffResult(
  deps: Deps,
  actor: Actor,
  studentId: string,
  input: StaffResultInput,
  options: { tellGuardian: boolean } = { tellGuardian: true },
) {
  const instrument = await findInstrument(deps, actor.districtId, input.instrumentId);
  // The emergency path is for the crisis roles; teachers rate the SRSS-IE; other entries are the screening leads'.
  const action = input.emergency ? 'screening.readResults' : instrument.definition.respondent === 'teacher' ? 'screening.proctor' : 'screening.manage';
  const student = await studentFor(deps, actor, studentId, action);
  if (input.emergency && !instrument.definition.scoring.flags.some((f) => f.code === 'suicide_risk')) {
    throw badRequest('The emergency path is for suicide-risk screening (for example the ASQ).', {
      code: 'emergency_path_suicide_only',
      es: 'La vía de emergencia es para la evaluación del riesgo de suicidio (por ejemplo, el ASQ).',
    });
  }
  if (!input.emergency) {
    const refusal = await withTenant(deps.db.app, actor, async (tx) => {
      const policy = await consentPolicyOf(tx, actor.districtId);
      const day = districtDay(deps.clock.now(), policy.timeZone);
      return resultRefusalIn({
        student,
        day,
        instrumentId: instrument.definition.id,
        policy,
        windows: await windowsOnDay(tx, student, instrument.definition.id, day),
        consents: (await consentRowsOf(tx, [student.id])).get(student.id) ?? [],
      });
    });
    if (refusal) {
      throw badRequest(
        `Not recorded: ${refusal.en} A screen is stored only with the family's consent for it. After a disclosure, use the emergency path (the ASQ), which needs no prior consent.`,
        {
          code: 'no_consent',
          es: `No se registró: ${refusal.es} Una evaluación se guarda solo con el consentimiento de la familia. Después de una revelación, use la vía de emergencia (el ASQ), que no necesita consentimiento previo.`,
        },
      );
    }
  }
  const context = { ...input.context };
  if (instrument.definition.context.some((c) => c.name === 'grade') && context.grade === undefined) {
    context.grade = student.grade === 'K' || student.grade === 'PK' ? 0 : Number(student.grade);
  }
  const stored = await recordResult(deps, {
    districtId: actor.districtId,
    student,
    instrument,
    answers: input.answers,
    context,
    source: 'staff',
    recordedBy: auditActor(actor),
    emergency: input.emergency,
    administeredAt: deps.clock.now(),
  });
  // Inside a crisis case the guardian notice is the case's own record (the guardian may be the
  // source of harm), so nothing is sent from here.
  if (input.emergency && options.tellGuardian) {
    const [school] = await withTenant(deps.db.app, actor, (tx) => tx.select({ name: schools.name }).from(schools).where(eq(schools.id, student.schoolId)));
    const family = await withTenant(deps.db.app, actor, (tx) => guardiansOf(tx, student.id));
    for (const guardian of family.filter((g) => g.email)) {
      const notice = emergencyNotice(noticeLanguage(guardian.preferredLanguage), {
        studentFirstName: student.preferredName ?? student.firstName,
        schoolName: school?.name ?? '',
      });
      await sendToFamily(deps, {
        districtId: actor.districtId,
        studentId: student.id,
        kind: 'emergency_screen_notice',
        mail: { to: guardian.email as string, subject: notice.subject, text: notice.body },
      });
    }
  }
  return { id: stored.id, ...stored.result, alertReportId: stored.alertReportId, followUpDueOn: stored.followUpDueOn };
}

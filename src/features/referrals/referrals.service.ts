import { and, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { caseStudents } from '../../data/cases.ts';
import { partnerServices } from '../../data/directory.ts';
import { schools } from '../../data/districts.ts';
import { partnerOrganizations } from '../../data/partners.ts';
import { supportPlans } from '../../data/plans.ts';
import { referralConsents, referralEvents, referrals } from '../../data/referrals.ts';
import { screeningResults } from '../../data/screening.ts';
import { guardians, studentGuardians, students } from '../../data/students.ts';
import type { Transaction } from '../../platform/db/client.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { mailFamily } from '../family-contact/index.ts';
import { checkContactRoute, disclosedFieldsFor, type StudentConnection } from './consent-paths.rules.ts';
import { emergencyDisclosureNotice, noticeLanguageOf } from './notices.text.ts';
import { isPart2Service } from './part2.rules.ts';
import { checkMove, consentBasis, serviceKindOf } from './referral.rules.ts';
import { ageOf, currentAgreement, districtTimeZone, loadReferral, partnerStaffIn, queueQuietMail, recordFacts, sideOf } from './referral-access.ts';
import type { guardianConsentInput, referralInput, sendInput } from './referrals.schema.ts';

/** The referral's source must be about this student: a case they are in, their screen, their plan. */
async function checkSource(tx: Transaction, studentId: string, source: string, sourceId: string | undefined) {
  if (source === 'direct') return;
  const sourceEs = source === 'screening' ? 'resultado de evaluación' : source === 'case' ? 'caso' : 'plan';
  if (!sourceId)
    throw badRequest(`Say which ${source === 'screening' ? 'screening result' : source} the referral comes from (sourceId).`, {
      code: 'referral_source_required',
      es: `Indique de qué ${sourceEs} viene la derivación (sourceId).`,
    });
  const found =
    source === 'case'
      ? await tx
          .select({ id: caseStudents.caseId })
          .from(caseStudents)
          .where(and(eq(caseStudents.caseId, sourceId), eq(caseStudents.studentId, studentId)))
      : source === 'screening'
        ? await tx
            .select({ id: screeningResults.id })
            .from(screeningResults)
            .where(and(eq(screeningResults.id, sourceId), eq(screeningResults.studentId, studentId)))
        : await tx
            .select({ id: supportPlans.id })
            .from(supportPlans)
            .where(and(eq(supportPlans.id, sourceId), eq(supportPlans.studentId, studentId)));
  if (found.length === 0)
    throw badRequest(`That ${source === 'screening' ? 'screening result' : source} is not about this student.`, {
      code: 'referral_source_other_student',
      es: `Ese ${sourceEs} no es de este estudiante.`,
    });
}

/**
 * Starts a referral as a draft: nothing leaves the school until consent is recorded and it is
 * sent. Warns (does not refuse) when the partner has no current agreement or no open place.
 */
export async function createReferral(deps: Deps, actor: Actor, input: z.infer<typeof referralInput>) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const [student] = await tx.select().from(students).where(eq(students.id, input.studentId));
    if (!student || !can(actor, 'referral.create', { schoolId: student.schoolId })) throw notFound('That student');
    const [service] = await tx.select().from(partnerServices).where(eq(partnerServices.id, input.serviceId));
    if (!service) throw notFound('That service');
    if (service.status !== 'active')
      throw badRequest(`That service is ${service.status}; choose an active one.`, {
        code: 'service_not_active',
        es: `Ese servicio no está activo (estado: ${service.status}); elija uno activo.`,
      });
    if (!service.serviceTypes.includes(input.serviceType))
      throw badRequest(`That service does not offer ${input.serviceType.replaceAll('_', ' ')}; choose one from the matches.`, {
        code: 'service_type_not_offered',
        es: `Ese servicio no ofrece el tipo de apoyo solicitado (${input.serviceType}); elija uno de los servicios sugeridos.`,
      });
    await checkSource(tx, student.id, input.source, input.sourceId);
    const today = districtDay(deps.clock.now(), await districtTimeZone(tx, actor.districtId));
    const [org] = await tx.select({ name: partnerOrganizations.name }).from(partnerOrganizations).where(eq(partnerOrganizations.id, service.organizationId));
    const warnings: string[] = [];
    if (!(await currentAgreement(tx, service.organizationId, today)))
      warnings.push(`${org?.name ?? 'This partner'} has no current agreement with the district; check with the district before sending.`);
    if ((service.capacityAvailable ?? 0) === 0)
      warnings.push(
        service.waitlistWeeks === null ? 'The service shows no open places.' : `The service has a waitlist of about ${service.waitlistWeeks} weeks.`,
      );
    const id = deps.ids.uuid();
    const now = deps.clock.now();
    await tx.insert(referrals).values({
      id,
      districtId: actor.districtId,
      studentId: student.id,
      schoolId: student.schoolId,
      organizationId: service.organizationId,
      serviceId: service.id,
      source: input.source,
      sourceId: input.sourceId ?? null,
      serviceType: input.serviceType,
      urgency: input.urgency,
      preferences: input.preferences,
      familySharedNote: input.familySharedNote || null,
      status: 'draft',
      referredBy: actor.userId,
      createdAt: now,
    });
    await tx
      .insert(referralEvents)
      .values({ id: deps.ids.uuid(), districtId: actor.districtId, referralId: id, at: now, byUserId: actor.userId, side: 'school', toStatus: 'draft' });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'referral.created',
      subjectType: 'referral',
      subjectId: id,
      studentId: student.id,
      detail: { source: input.source, serviceType: input.serviceType },
    });
    return { id, status: 'draft' as const, warnings };
  });
}

const unknownPartner = () =>
  badRequest('The consent names a partner that does not exist; choose partners from the directory.', {
    code: 'unknown_partner',
    es: 'El consentimiento nombra a un socio que no existe; elija los socios del directorio de socios.',
  });

/** Written guardian consent to disclose to the named partners (or any partner), until an optional date. */
export async function recordGuardianConsent(deps: Deps, actor: Actor, studentId: string, input: z.infer<typeof guardianConsentInput>) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const [student] = isUuid(studentId) ? await tx.select().from(students).where(eq(students.id, studentId)) : [];
    if (!student || !can(actor, 'referral.create', { schoolId: student.schoolId })) throw notFound('That student');
    const orgIds = input.scope.filter((s) => s !== 'any_partner');
    if (orgIds.some((s) => !isUuid(s))) throw unknownPartner();
    if (orgIds.length) {
      const known = await tx.select({ id: partnerOrganizations.id }).from(partnerOrganizations);
      if (orgIds.some((s) => !known.some((k) => k.id === s))) throw unknownPartner();
    }
    const today = districtDay(deps.clock.now(), await districtTimeZone(tx, actor.districtId));
    if (input.expiresOn && input.expiresOn < today)
      throw badRequest('That consent has already expired; check the date.', {
        code: 'consent_expired',
        es: 'Ese consentimiento ya venció; revise la fecha.',
      });
    const id = deps.ids.uuid();
    await tx.insert(referralConsents).values({
      id,
      districtId: actor.districtId,
      studentId: student.id,
      kind: 'guardian',
      givenBy: input.givenBy,
      scope: input.scope,
      expiresOn: input.expiresOn ?? null,
      documentName: input.documentName ?? null,
      recordedBy: actor.userId,
      recordedAt: deps.clock.now(),
    });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'referral.consent_recorded',
      subjectType: 'student',
      subjectId: student.id,
      studentId: student.id,
      detail: { kind: 'guardian', scope: input.scope, expiresOn: input.expiresOn ?? null },
    });
    return { id };
  });
}

/**
 * Sends a draft to the partner. The consent gate runs here, against what is on file and what is
 * given now, and what goes out depends on its answer: the student's own consent makes a
 * student-initiated connection (what the student chose, no education records, no guardian); the
 * emergency tells the guardian afterwards; a substance-use referral records what the student's
 * Part 2 consent lets flow back. The disclosure goes into the student's access log with its basis
 * and the fields the partner will see. Partner staff get an e-mail that names no student.
 */
export async function sendReferral(deps: Deps, actor: Actor, id: string, input: z.infer<typeof sendInput>) {
  const sent = await withTenant(deps.db.app, actor, async (tx) => {
    const r = isUuid(id) ? await loadReferral(tx, id) : undefined;
    if (!r || sideOf(actor, r) !== 'school') throw notFound('That referral');
    const [student] = await tx.select().from(students).where(eq(students.id, r.studentId));
    if (!student) throw notFound('That referral');
    const now = deps.clock.now();
    const timeZone = await districtTimeZone(tx, actor.districtId);
    const today = districtDay(now, timeZone);
    const consents = await tx
      .select()
      .from(referralConsents)
      .where(and(eq(referralConsents.studentId, r.studentId), eq(referralConsents.kind, 'guardian'), isNull(referralConsents.withdrawnAt)));
    const agreement = await currentAgreement(tx, r.organizationId, today);
    const emergencyReason = input.emergencyReason || undefined;
    const gate = consentBasis({
      studentAge: ageOf(student, today),
      serviceKind: serviceKindOf(r.serviceType),
      urgency: r.urgency,
      guardianConsents: consents.map((c) => ({ id: c.id, scope: c.scope, expiresOn: c.expiresOn })),
      studentConsent: input.studentConsent,
      emergency: emergencyReason ? { reason: emergencyReason } : null,
      schoolOfficialAgreement: agreement?.ferpaBasis === 'school_official',
      today,
      partnerId: r.organizationId,
    });
    if (!gate.ok) throw badRequest(gate.reason, { code: 'referral_consent_missing', es: gate.es });
    const move = checkMove(r.status, 'requested', 'school', { consentOk: true });
    if (!move.ok) throw badRequest(move.reason, { code: 'referral_status_refused', es: move.es });
    if (isPart2Service(r.serviceType) && !input.part2Scope)
      throw badRequest(
        "This is a substance-use program (42 CFR Part 2): record what the student's written consent lets the program tell the school: nothing, attendance only, or attendance and progress.",
        {
          code: 'part2_scope_required',
          es: 'Este es un programa para el uso de sustancias (42 CFR Part 2): registre qué permite el consentimiento escrito del estudiante que el programa le diga a la escuela: nada, solo la asistencia, o la asistencia y el progreso.',
        },
      );
    const connection = gate.basis === 'student_consent' ? studentConnectionFrom(input.studentChoices, student) : undefined;
    if (gate.basis === 'emergency_99_36' || gate.basis === 'student_consent')
      await tx.insert(referralConsents).values({
        id: deps.ids.uuid(),
        districtId: actor.districtId,
        studentId: r.studentId,
        referralId: r.id,
        kind: gate.basis === 'emergency_99_36' ? 'emergency' : 'student',
        givenBy: gate.basis === 'student_consent' ? `${student.firstName} ${student.lastName}` : 'school (health or safety emergency)',
        scope: [r.organizationId],
        reason: gate.basis === 'emergency_99_36' ? (emergencyReason ?? null) : null,
        recordedBy: actor.userId,
        recordedAt: now,
      });
    const [org] = await tx.select({ name: partnerOrganizations.name }).from(partnerOrganizations).where(eq(partnerOrganizations.id, r.organizationId));
    const letters = gate.basis === 'emergency_99_36' ? await emergencyLetters(tx, student, org?.name ?? '', emergencyReason ?? '', now, timeZone) : [];
    await tx.update(referrals).set({ status: 'requested', consentBasis: gate.basis, requestedAt: now }).where(eq(referrals.id, r.id));
    await recordFacts(tx, r.id, {
      ...(connection ? { studentConnection: connection } : {}),
      ...(gate.basis === 'guardian_consent' && gate.guardianConsentId ? { restsOnConsentId: gate.guardianConsentId } : {}),
      ...(isPart2Service(r.serviceType) && input.part2Scope ? { part2Scope: input.part2Scope } : {}),
      ...(gate.basis === 'emergency_99_36' ? { emergencyNotice: { at: now.toISOString(), emailed: letters.length } } : {}),
    });
    await tx.insert(referralEvents).values({
      id: deps.ids.uuid(),
      districtId: actor.districtId,
      referralId: r.id,
      at: now,
      byUserId: actor.userId,
      side: 'school',
      fromStatus: r.status,
      toStatus: 'requested',
      reason: gate.basis === 'emergency_99_36' ? (emergencyReason ?? null) : null,
    });
    const fields = disclosedFieldsFor(gate.basis, connection);
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'referral.disclosed',
      subjectType: 'referral',
      subjectId: r.id,
      studentId: r.studentId,
      reason:
        gate.basis === 'student_consent'
          ? `connected with ${org?.name ?? 'partner'} on the student's own consent: no education records, only what the student chose`
          : `disclosed to ${org?.name ?? 'partner'} on ${gate.basis.replaceAll('_', ' ')}`,
      detail: {
        organizationId: r.organizationId,
        basis: gate.basis,
        fields,
        educationRecords: gate.basis !== 'student_consent',
        ...(isPart2Service(r.serviceType) ? { part2Scope: input.part2Scope } : {}),
      },
    });
    if (gate.basis === 'emergency_99_36')
      await deps.audit.append(tx, actor.districtId, auditActor(actor), {
        action: 'referral.guardian_notified',
        subjectType: 'referral',
        subjectId: r.id,
        studentId: r.studentId,
        reason: 'told of a disclosure under the health-or-safety emergency (34 CFR 99.36)',
        detail: { emailed: letters.length, languages: letters.map((l) => l.language) },
      });
    // Into the outbox with the disclosure itself: the partner's staff hear of it, and the family of an
    // emergency disclosure (held for a person while a concern of abuse names the household).
    await queueQuietMail(deps, tx, actor.districtId, await partnerStaffIn(tx, r.organizationId), {
      purpose: 'referral.sent',
      subject: `Haven: a new ${r.urgency === 'routine' ? '' : `${r.urgency} `}referral awaits your answer`,
      text: `A school has sent your organization a referral. Please accept or decline it within 2 school days:\n${deps.settings.publicUrl}/referrals/${id}`,
    });
    for (const letter of letters)
      await mailFamily(deps, tx, {
        districtId: actor.districtId,
        studentId: r.studentId,
        kind: 'emergency_disclosure_notice',
        mail: { to: letter.to, subject: letter.subject, text: letter.body },
      });
    return { basis: gate.basis, letters };
  });
  return {
    id,
    status: 'requested' as const,
    consentBasis: sent.basis,
    ...(sent.basis === 'emergency_99_36' ? { guardianNotice: { emailed: sent.letters.length } } : {}),
  };
}

/** The student's choices, with the most private answer wherever the counselor gave none. */
function studentConnectionFrom(
  choices: z.infer<typeof sendInput>['studentChoices'],
  student: { firstName: string; preferredName: string | null },
): StudentConnection {
  const route = choices?.contactRoute ?? 'school_counselor';
  const checked = checkContactRoute(route, choices?.contact);
  if (!checked.ok) throw badRequest(checked.reason, { code: 'student_contact_invalid', es: checked.es });
  return {
    name: choices?.name || (student.preferredName ?? student.firstName),
    share: [...new Set(choices?.share ?? [])],
    note: choices?.note || null,
    contactRoute: route,
    contact: route === 'school_counselor' ? null : (choices?.contact?.trim() ?? null),
    guardianMayBeTold: choices?.guardianMayBeTold ?? false,
    guardianTold: null,
  };
}

/** The 99.36 notice for each guardian with an e-mail address, in their language. */
async function emergencyLetters(
  tx: Transaction,
  student: { id: string; schoolId: string; firstName: string; preferredName: string | null },
  partnerName: string,
  reason: string,
  now: Date,
  timeZone: string,
) {
  const [school] = await tx.select({ name: schools.name }).from(schools).where(eq(schools.id, student.schoolId));
  const family = await tx
    .select({ email: guardians.email, language: guardians.preferredLanguage })
    .from(studentGuardians)
    .innerJoin(guardians, eq(guardians.id, studentGuardians.guardianId))
    .where(eq(studentGuardians.studentId, student.id));
  return family
    .filter((g): g is { email: string; language: string } => Boolean(g.email))
    .map((g) => {
      const language = noticeLanguageOf(g.language);
      const date = new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', { dateStyle: 'long', timeZone }).format(now);
      const notice = emergencyDisclosureNotice(language, {
        studentFirstName: student.preferredName ?? student.firstName,
        schoolName: school?.name ?? '',
        partnerName,
        date,
        reason,
      });
      return { to: g.email, language, ...notice };
    });
}

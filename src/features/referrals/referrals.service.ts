import { and, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import type { Transaction } from '../../platform/db/client.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { caseStudents } from '../cases/cases.tables.ts';
import { partnerServices } from '../partners/directory.tables.ts';
import { partnerOrganizations } from '../partners/partners.tables.ts';
import { supportPlans } from '../plans/plans.tables.ts';
import { screeningResults } from '../screening/screening.tables.ts';
import { students } from '../students/students.tables.ts';
import { checkMove, consentBasis, disclosedFields, serviceKindOf } from './referral.rules.ts';
import { ageOf, currentAgreement, districtTimeZone, loadReferral, mailQuietly, partnerStaffEmails, sideOf } from './referral-access.ts';
import type { guardianConsentInput, referralInput, sendInput } from './referrals.schema.ts';
import { referralConsents, referralEvents, referrals } from './referrals.tables.ts';

/** The referral's source must be about this student: a case they are in, their screen, their plan. */
async function checkSource(tx: Transaction, studentId: string, source: string, sourceId: string | undefined) {
  if (source === 'direct') return;
  if (!sourceId) throw badRequest(`Say which ${source === 'screening' ? 'screening result' : source} the referral comes from (sourceId).`);
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
  if (found.length === 0) throw badRequest(`That ${source === 'screening' ? 'screening result' : source} is not about this student.`);
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
    if (service.status !== 'active') throw badRequest(`That service is ${service.status}; choose an active one.`);
    if (!service.serviceTypes.includes(input.serviceType))
      throw badRequest(`That service does not offer ${input.serviceType.replaceAll('_', ' ')}; choose one from the matches.`);
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

/** Written guardian consent to disclose to the named partners (or any partner), until an optional date. */
export async function recordGuardianConsent(deps: Deps, actor: Actor, studentId: string, input: z.infer<typeof guardianConsentInput>) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const [student] = isUuid(studentId) ? await tx.select().from(students).where(eq(students.id, studentId)) : [];
    if (!student || !can(actor, 'referral.create', { schoolId: student.schoolId })) throw notFound('That student');
    const orgIds = input.scope.filter((s) => s !== 'any_partner');
    if (orgIds.some((s) => !isUuid(s))) throw badRequest('The consent names a partner that does not exist; choose partners from the directory.');
    if (orgIds.length) {
      const known = await tx.select({ id: partnerOrganizations.id }).from(partnerOrganizations);
      if (orgIds.some((s) => !known.some((k) => k.id === s)))
        throw badRequest('The consent names a partner that does not exist; choose partners from the directory.');
    }
    const today = districtDay(deps.clock.now(), await districtTimeZone(tx, actor.districtId));
    if (input.expiresOn && input.expiresOn < today) throw badRequest('That consent has already expired; check the date.');
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
 * A guardian withdraws a written consent. Nothing more is shared on it from now on (the consent
 * gate reads only consents not withdrawn); what was already disclosed stays in the access log.
 */
export async function withdrawGuardianConsent(deps: Deps, actor: Actor, studentId: string, consentId: string, reason: string | undefined) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const [student] = isUuid(studentId) ? await tx.select().from(students).where(eq(students.id, studentId)) : [];
    if (!student || !can(actor, 'referral.create', { schoolId: student.schoolId })) throw notFound('That student');
    const [consent] = isUuid(consentId)
      ? await tx
          .select()
          .from(referralConsents)
          .where(and(eq(referralConsents.id, consentId), eq(referralConsents.studentId, student.id), eq(referralConsents.kind, 'guardian')))
      : [];
    if (!consent) throw notFound('That consent');
    if (consent.withdrawnAt) throw badRequest('That consent was already withdrawn.');
    await tx.update(referralConsents).set({ withdrawnAt: deps.clock.now() }).where(eq(referralConsents.id, consent.id));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'referral.consent_withdrawn',
      subjectType: 'student',
      subjectId: student.id,
      studentId: student.id,
      ...(reason ? { reason } : {}),
      detail: { consentId: consent.id },
    });
    return { id: consent.id, withdrawn: true };
  });
}

/**
 * Sends a draft to the partner. The consent gate runs here, against what is on file and what is
 * given now; the disclosure goes into the student's access log with its basis and the fields
 * the partner will see. Partner staff get an e-mail that names no student.
 */
export async function sendReferral(deps: Deps, actor: Actor, id: string, input: z.infer<typeof sendInput>) {
  const sent = await withTenant(deps.db.app, actor, async (tx) => {
    const r = isUuid(id) ? await loadReferral(tx, id) : undefined;
    if (!r || sideOf(actor, r) !== 'school') throw notFound('That referral');
    const [student] = await tx.select().from(students).where(eq(students.id, r.studentId));
    if (!student) throw notFound('That referral');
    const now = deps.clock.now();
    const today = districtDay(now, await districtTimeZone(tx, actor.districtId));
    const consents = await tx
      .select()
      .from(referralConsents)
      .where(and(eq(referralConsents.studentId, r.studentId), eq(referralConsents.kind, 'guardian'), isNull(referralConsents.withdrawnAt)));
    const agreement = await currentAgreement(tx, r.organizationId, today);
    const gate = consentBasis({
      studentAge: ageOf(student, today),
      serviceKind: serviceKindOf(r.serviceType),
      guardianConsents: consents.map((c) => ({ scope: c.scope, expiresOn: c.expiresOn })),
      studentConsent: input.studentConsent,
      emergency: input.emergencyReason ? { reason: input.emergencyReason } : null,
      schoolOfficialAgreement: agreement?.ferpaBasis === 'school_official',
      today,
      partnerId: r.organizationId,
    });
    if (!gate.ok) throw badRequest(gate.reason);
    const move = checkMove(r.status, 'requested', 'school', { consentOk: true });
    if (!move.ok) throw badRequest(move.reason);
    if (gate.basis === 'emergency_99_36' || gate.basis === 'student_consent')
      await tx.insert(referralConsents).values({
        id: deps.ids.uuid(),
        districtId: actor.districtId,
        studentId: r.studentId,
        referralId: r.id,
        kind: gate.basis === 'emergency_99_36' ? 'emergency' : 'student',
        givenBy: gate.basis === 'student_consent' ? `${student.firstName} ${student.lastName}` : 'school (health or safety emergency)',
        scope: [r.organizationId],
        reason: gate.basis === 'emergency_99_36' ? (input.emergencyReason ?? null) : null,
        recordedBy: actor.userId,
        recordedAt: now,
      });
    await tx.update(referrals).set({ status: 'requested', consentBasis: gate.basis, requestedAt: now }).where(eq(referrals.id, r.id));
    await tx.insert(referralEvents).values({
      id: deps.ids.uuid(),
      districtId: actor.districtId,
      referralId: r.id,
      at: now,
      byUserId: actor.userId,
      side: 'school',
      fromStatus: r.status,
      toStatus: 'requested',
      reason: gate.basis === 'emergency_99_36' ? (input.emergencyReason ?? null) : null,
    });
    const [org] = await tx.select({ name: partnerOrganizations.name }).from(partnerOrganizations).where(eq(partnerOrganizations.id, r.organizationId));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'referral.disclosed',
      subjectType: 'referral',
      subjectId: r.id,
      studentId: r.studentId,
      reason: `disclosed to ${org?.name ?? 'partner'} on ${gate.basis.replaceAll('_', ' ')}`,
      detail: { organizationId: r.organizationId, basis: gate.basis, fields: [...disclosedFields] },
    });
    return { organizationId: r.organizationId, urgency: r.urgency, basis: gate.basis };
  });
  await mailQuietly(
    deps,
    await partnerStaffEmails(deps, sent.organizationId),
    `Haven: a new ${sent.urgency === 'routine' ? '' : `${sent.urgency} `}referral awaits your answer`,
    `A school has sent your organization a referral. Please accept or decline it within 2 school days:\n${deps.settings.publicUrl}/referrals/${id}`,
  );
  return { id, status: 'requested' as const, consentBasis: sent.basis };
}

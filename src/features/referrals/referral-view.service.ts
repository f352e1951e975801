import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { users } from '../../data/accounts.ts';
import { partnerServices } from '../../data/directory.ts';
import { schools } from '../../data/districts.ts';
import { partnerOrganizations } from '../../data/partners.ts';
import { referralConsents, referralEvents, referralFollowUps } from '../../data/referrals.ts';
import { guardians, studentGuardians, students } from '../../data/students.ts';
import type { AuditAction } from '../../platform/audit/actions.ts';
import type { Transaction } from '../../platform/db/client.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { factsOf, guardianMayBeTold, type StudentConnection } from './consent-paths.rules.ts';
import { part2ScopeMeaning, part2ScopeOf, redisclosureNotice, schoolSees } from './part2.rules.ts';
import { type ConsentRefusal, emergencyEligibility, movesFor, partnerSeesGuardianContact, serviceKindOf, studentConsentEligibility } from './referral.rules.ts';
import { ageOf, currentAgreement, districtTimeZone, loadReferral, type Referral, sideOf } from './referral-access.ts';

/** Loads a referral the actor may see, and records the look in the student's access log. */
export async function visibleReferral(deps: Deps, tx: Transaction, actor: Actor, id: string, action: AuditAction) {
  const r = isUuid(id) ? await loadReferral(tx, id) : undefined;
  const side = r ? sideOf(actor, r) : null;
  if (!r || !side) {
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'referral.read.denied',
      subjectType: 'referral',
      subjectId: id.slice(0, 64),
    });
    return null;
  }
  const [org] = await tx.select({ name: partnerOrganizations.name }).from(partnerOrganizations).where(eq(partnerOrganizations.id, r.organizationId));
  await deps.audit.append(tx, actor.districtId, auditActor(actor), {
    action,
    subjectType: 'referral',
    subjectId: r.id,
    studentId: r.studentId,
    reason: side === 'partner' ? `partner ${org?.name ?? ''}: referral sent to them` : 'referring school staff',
  });
  return { r, side, organization: org?.name ?? '' };
}

/** The family's preferences, named field by field so nothing else stored beside them can leak. */
function preferencesOf(r: Referral) {
  const p = r.preferences;
  return {
    language: p.language,
    languageRequired: p.languageRequired,
    insurance: p.insurance,
    ...(p.modality ? { modality: p.modality } : {}),
    ...(p.location ? { location: p.location } : {}),
    ...(p.providerGender ? { providerGender: p.providerGender } : {}),
    ...(p.times ? { times: p.times } : {}),
  };
}

const toldView = (c: StudentConnection) => (c.guardianTold ? { because: c.guardianTold.because, reason: c.guardianTold.reason, at: c.guardianTold.at } : null);

/**
 * One referral. The school sees all of it, except what a substance-use program may not tell it
 * (42 CFR Part 2: see part2.rules.ts), always with the federal redisclosure notice. The partner it
 * was sent to sees only the disclosed minimum and the status history, never the school's notes or
 * follow-ups; for a student-initiated connection, only what the student chose to share and the
 * route the student chose, and the guardian only once the guardian may be told.
 */
export async function getReferral(deps: Deps, actor: Actor, id: string) {
  const view = await withTenant(deps.db.app, actor, async (tx) => {
    const found = await visibleReferral(deps, tx, actor, id, 'referral.read');
    if (!found) return null;
    const { r, side, organization } = found;
    const facts = factsOf(r.preferences);
    const connection = facts.studentConnection;
    const timeZone = await districtTimeZone(tx, actor.districtId);
    const today = districtDay(deps.clock.now(), timeZone);
    const [student] = await tx.select().from(students).where(eq(students.id, r.studentId));
    const age = student ? ageOf(student, today) : null;
    const [service] = await tx.select({ name: partnerServices.name }).from(partnerServices).where(eq(partnerServices.id, r.serviceId));
    const [referrer] = await tx.select({ name: users.displayName, email: users.email }).from(users).where(eq(users.id, r.referredBy));
    const [guardian] = await tx
      .select({
        firstName: guardians.firstName,
        lastName: guardians.lastName,
        phone: guardians.phone,
        email: guardians.email,
        language: guardians.preferredLanguage,
      })
      .from(studentGuardians)
      .innerJoin(guardians, eq(guardians.id, studentGuardians.guardianId))
      .where(eq(studentGuardians.studentId, r.studentId))
      .orderBy(desc(studentGuardians.primaryContact));
    const events = await tx
      .select({ at: referralEvents.at, side: referralEvents.side, from: referralEvents.fromStatus, to: referralEvents.toStatus, reason: referralEvents.reason })
      .from(referralEvents)
      .where(eq(referralEvents.referralId, r.id))
      .orderBy(asc(referralEvents.at));
    const flow = {
      status: r.status as string,
      statusReason: r.statusReason,
      appointment: r.appointmentAt
        ? { at: r.appointmentAt.toISOString(), minutes: r.appointmentMinutes, place: r.appointmentPlace, telehealthUrl: r.telehealthUrl }
        : null,
      firstSeenAt: r.firstSeenAt?.toISOString() ?? null,
      events: events.map((e) => ({ ...e, at: e.at.toISOString() })),
    };
    const common = {
      id: r.id,
      side,
      urgency: r.urgency,
      serviceType: r.serviceType,
      service: { id: r.serviceId, name: service?.name ?? '' },
      organization: { id: r.organizationId, name: organization },
      requestedAt: r.requestedAt?.toISOString() ?? null,
      /** What the reader's side may do now: the page offers these and nothing else. */
      moves: movesFor(r.status, side, { appointmentDay: r.appointmentAt ? districtDay(r.appointmentAt, timeZone) : null, today }),
    };
    const guardianView = guardian
      ? { name: `${guardian.firstName} ${guardian.lastName}`, phone: guardian.phone, email: guardian.email, language: guardian.language }
      : null;
    const fullStudent = {
      name: `${student?.preferredName ?? student?.firstName ?? ''} ${student?.lastName ?? ''}`.trim(),
      age,
      grade: student?.grade ?? null,
      language: student?.homeLanguage ?? null,
      interpreterNeeded: student?.interpreterNeeded ?? false,
    };
    if (side === 'partner') {
      const shares = new Set(connection?.share ?? []);
      const { status, statusReason, appointment, firstSeenAt, events: history } = flow;
      return {
        ...common,
        side: 'partner' as const,
        status,
        statusReason,
        student: connection
          ? {
              name: connection.name,
              age: shares.has('age') ? age : null,
              grade: shares.has('grade') ? (student?.grade ?? null) : null,
              language: shares.has('language') ? (student?.homeLanguage ?? null) : null,
              interpreterNeeded: shares.has('language') ? (student?.interpreterNeeded ?? false) : false,
            }
          : fullStudent,
        guardian: guardianMayBeTold(connection) && partnerSeesGuardianContact(r.status) ? guardianView : null,
        /** There is a guardian whose contact appears here once the partner accepts (only while it still can: not once declined or cancelled). */
        guardianOnAccepting: Boolean(guardianView) && guardianMayBeTold(connection) && r.status === 'requested',
        preferences: connection && !shares.has('preferences') ? null : preferencesOf(r),
        familySharedNote: connection ? connection.note : r.familySharedNote,
        connection: connection
          ? {
              kind: 'student_initiated' as const,
              contactRoute: connection.contactRoute,
              contact: connection.contact,
              counselor: connection.contactRoute === 'school_counselor' ? { name: referrer?.name ?? '', email: referrer?.email ?? '' } : null,
              guardianMayBeTold: guardianMayBeTold(connection),
              guardianTold: toldView(connection),
            }
          : null,
        appointment,
        firstSeenAt,
        events: history,
      };
    }
    const scope = part2ScopeOf(r.serviceType, facts.part2Scope);
    const seen = schoolSees(scope, flow);
    const [school] = await tx.select({ name: schools.name }).from(schools).where(eq(schools.id, r.schoolId));
    const consents = await tx
      .select({
        id: referralConsents.id,
        kind: referralConsents.kind,
        givenBy: referralConsents.givenBy,
        scope: referralConsents.scope,
        expiresOn: referralConsents.expiresOn,
        reason: referralConsents.reason,
        recordedAt: referralConsents.recordedAt,
      })
      .from(referralConsents)
      .where(and(eq(referralConsents.studentId, r.studentId), isNull(referralConsents.withdrawnAt)))
      .orderBy(desc(referralConsents.recordedAt));
    const followUps = await tx.select().from(referralFollowUps).where(eq(referralFollowUps.referralId, r.id)).orderBy(asc(referralFollowUps.dueOn));
    const agreement = await currentAgreement(tx, r.organizationId, today);
    const available = (check: { ok: true } | ConsentRefusal) => ({
      available: check.ok,
      reason: check.ok ? null : check.reason,
      reasonEs: check.ok ? null : check.es,
    });
    return {
      ...common,
      side: 'school' as const,
      status: seen.status,
      statusReason: seen.statusReason,
      student: fullStudent,
      guardian: guardianView,
      preferences: preferencesOf(r),
      familySharedNote: r.familySharedNote,
      connection: null,
      appointment: seen.appointment,
      firstSeenAt: seen.firstSeenAt,
      events: seen.events,
      studentId: r.studentId,
      school: school?.name ?? '',
      source: r.source,
      sourceId: r.sourceId,
      referredBy: referrer?.name ?? '',
      consentBasis: r.consentBasis,
      consentPaths: {
        studentConsent: available(studentConsentEligibility(age, serviceKindOf(r.serviceType))),
        emergency: available(emergencyEligibility(r.urgency)),
      },
      studentConnection: connection ? { ...connection, guardianMayBeTold: guardianMayBeTold(connection), guardianTold: toldView(connection) } : null,
      part2: scope
        ? {
            scope: facts.part2Scope ?? null,
            meaning: facts.part2Scope ? part2ScopeMeaning[facts.part2Scope] : null,
            notice: redisclosureNotice,
            withheld: seen.withheld,
          }
        : null,
      emergencyNotice: facts.emergencyNotice ?? null,
      consentWithdrawnAt: facts.consentWithdrawnAt ?? null,
      consents: consents
        .filter((c) => c.kind === 'guardian' || c.scope.includes(r.organizationId))
        .map((c) => ({ ...c, recordedAt: c.recordedAt.toISOString() })),
      agreement: agreement ? { type: agreement.type, endsOn: agreement.endsOn, ferpaBasis: agreement.ferpaBasis } : null,
      followUps: followUps.map((f) => ({
        id: f.id,
        kind: f.kind,
        dueOn: f.dueOn,
        done: f.doneAt !== null,
        note: f.note,
        overdue: f.doneAt === null && f.dueOn < today,
      })),
    };
  });
  if (!view) throw notFound('That referral');
  return view;
}

import { and, asc, desc, eq, inArray, isNotNull, isNull, ne, type SQL } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { supportSchools } from '../../access/policy.ts';
import type { Transaction } from '../../platform/db/client.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { users } from '../accounts/accounts.tables.ts';
import { schools } from '../districts/districts.tables.ts';
import { partnerServices } from '../partners/directory.tables.ts';
import { partnerOrganizations } from '../partners/partners.tables.ts';
import { guardians, studentGuardians, students } from '../students/students.tables.ts';
import { appointmentCalendar } from './lifecycle.service.ts';
import { referralBundle } from './referral.fhir.ts';
import { ageOf, currentAgreement, districtTimeZone, loadReferral, type Referral, sideOf } from './referral-access.ts';
import { referralConsents, referralEvents, referralFollowUps, referrals } from './referrals.tables.ts';

/** Loads a referral the actor may see, and records the look in the student's access log. */
async function visibleReferral(deps: Deps, tx: Transaction, actor: Actor, id: string, action: string) {
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

/**
 * One referral. The school sees all of it; the partner it was sent to sees only the disclosed
 * minimum (name, age or grade, guardian contact, need, urgency, language, the family's own note
 * and preferences) and the status history, never the school's notes or follow-ups.
 */
export async function getReferral(deps: Deps, actor: Actor, id: string) {
  const view = await withTenant(deps.db.app, actor, async (tx) => {
    const found = await visibleReferral(deps, tx, actor, id, 'referral.read');
    if (!found) return null;
    const { r, side, organization } = found;
    const today = districtDay(deps.clock.now(), await districtTimeZone(tx, actor.districtId));
    const [student] = await tx.select().from(students).where(eq(students.id, r.studentId));
    const [service] = await tx.select({ name: partnerServices.name }).from(partnerServices).where(eq(partnerServices.id, r.serviceId));
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
    const shared = {
      id: r.id,
      side,
      status: r.status,
      statusReason: r.statusReason,
      urgency: r.urgency,
      serviceType: r.serviceType,
      service: { id: r.serviceId, name: service?.name ?? '' },
      organization: { id: r.organizationId, name: organization },
      student: {
        name: `${student?.preferredName ?? student?.firstName ?? ''} ${student?.lastName ?? ''}`.trim(),
        age: student ? ageOf(student, today) : null,
        grade: student?.grade ?? null,
        language: student?.homeLanguage ?? null,
        interpreterNeeded: student?.interpreterNeeded ?? false,
      },
      guardian: guardian
        ? { name: `${guardian.firstName} ${guardian.lastName}`, phone: guardian.phone, email: guardian.email, language: guardian.language }
        : null,
      preferences: r.preferences,
      familySharedNote: r.familySharedNote,
      appointment: r.appointmentAt
        ? { at: r.appointmentAt.toISOString(), minutes: r.appointmentMinutes, place: r.appointmentPlace, telehealthUrl: r.telehealthUrl }
        : null,
      requestedAt: r.requestedAt?.toISOString() ?? null,
      firstSeenAt: r.firstSeenAt?.toISOString() ?? null,
      events: events.map((e) => ({ ...e, at: e.at.toISOString() })),
    };
    if (side === 'partner') return shared;
    const [school] = await tx.select({ name: schools.name }).from(schools).where(eq(schools.id, r.schoolId));
    const [referrer] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, r.referredBy));
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
    return {
      ...shared,
      studentId: r.studentId,
      school: school?.name ?? '',
      source: r.source,
      sourceId: r.sourceId,
      referredBy: referrer?.name ?? '',
      consentBasis: r.consentBasis,
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

/**
 * Referrals the actor works with: a student's (school staff), the schools they serve, or the
 * ones sent to their organization (partners; drafts are never shown). A partner seeing a name is
 * a disclosure, so each listed student gets an access-log entry.
 */
export async function listReferrals(deps: Deps, actor: Actor, query: { studentId?: string | undefined; open?: 'true' | 'false' | undefined }) {
  const partnerOrgs = actor.grants.filter((g) => g.role === 'partner' && g.partnerOrganizationId).map((g) => g.partnerOrganizationId as string);
  const scope = supportSchools(actor);
  const schoolSide = scope === 'all' || scope.length > 0;
  if (!schoolSide && partnerOrgs.length === 0) throw notFound('Referrals');
  return withTenant(deps.db.app, actor, async (tx) => {
    const where: (SQL | undefined)[] = [];
    if (schoolSide) {
      if (scope !== 'all') where.push(inArray(referrals.schoolId, scope));
    } else where.push(inArray(referrals.organizationId, partnerOrgs), ne(referrals.status, 'draft'));
    if (query.studentId) where.push(eq(referrals.studentId, query.studentId));
    if (query.open === 'true') where.push(isNull(referrals.closedAt));
    if (query.open === 'false') where.push(isNotNull(referrals.closedAt));
    const rows = await tx
      .select({
        referral: referrals,
        firstName: students.firstName,
        preferredName: students.preferredName,
        lastName: students.lastName,
        grade: students.grade,
        organization: partnerOrganizations.name,
        service: partnerServices.name,
        school: schools.name,
      })
      .from(referrals)
      .innerJoin(students, eq(students.id, referrals.studentId))
      .innerJoin(partnerOrganizations, eq(partnerOrganizations.id, referrals.organizationId))
      .innerJoin(partnerServices, eq(partnerServices.id, referrals.serviceId))
      .innerJoin(schools, eq(schools.id, referrals.schoolId))
      .where(and(...where))
      .orderBy(desc(referrals.createdAt))
      .limit(500);
    const openFollowUps = rows.length
      ? await tx
          .select({ referralId: referralFollowUps.referralId })
          .from(referralFollowUps)
          .where(
            and(
              inArray(
                referralFollowUps.referralId,
                rows.map((r) => r.referral.id),
              ),
              isNull(referralFollowUps.doneAt),
            ),
          )
      : [];
    for (const row of schoolSide ? [] : rows)
      await deps.audit.append(tx, actor.districtId, auditActor(actor), {
        action: 'referral.listed',
        subjectType: 'referral',
        subjectId: row.referral.id,
        studentId: row.referral.studentId,
        reason: `partner ${row.organization}: referral sent to them`,
      });
    if (schoolSide)
      await deps.audit.append(tx, actor.districtId, auditActor(actor), {
        action: 'referral.listed',
        subjectType: 'referral_list',
        detail: { results: rows.length, student: query.studentId ?? null },
      });
    return rows.map((row) => ({
      id: row.referral.id,
      student: { ...(schoolSide ? { id: row.referral.studentId } : {}), name: `${row.preferredName ?? row.firstName} ${row.lastName}`, grade: row.grade },
      school: row.school,
      organization: row.organization,
      service: row.service,
      serviceType: row.referral.serviceType,
      urgency: row.referral.urgency,
      status: row.referral.status,
      createdAt: row.referral.createdAt.toISOString(),
      appointmentAt: row.referral.appointmentAt?.toISOString() ?? null,
      openFollowUps: schoolSide ? openFollowUps.filter((f) => f.referralId === row.referral.id).length : 0,
    }));
  });
}

/** The referral as a FHIR ServiceRequest + Task pair, for either side. */
export async function referralFhir(deps: Deps, actor: Actor, id: string) {
  const out = await withTenant(deps.db.app, actor, async (tx) => {
    const found = await visibleReferral(deps, tx, actor, id, 'referral.exported');
    if (!found) return null;
    const { r, organization } = found;
    const [student] = await tx.select().from(students).where(eq(students.id, r.studentId));
    const [service] = await tx.select({ name: partnerServices.name }).from(partnerServices).where(eq(partnerServices.id, r.serviceId));
    const [referrer] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, r.referredBy));
    const [last] = await tx
      .select({ at: referralEvents.at })
      .from(referralEvents)
      .where(eq(referralEvents.referralId, r.id))
      .orderBy(desc(referralEvents.at))
      .limit(1);
    return referralBundle(
      {
        ...r,
        serviceName: service?.name ?? r.serviceType,
        organization: { id: r.organizationId, name: organization },
        student: { id: r.studentId, name: `${student?.firstName ?? ''} ${student?.lastName ?? ''}`.trim() },
        requester: { id: r.referredBy, name: referrer?.name ?? '' },
        lastModified: last?.at ?? r.createdAt,
      },
      deps.settings.publicUrl,
    );
  });
  if (!out) throw notFound('That referral');
  return out;
}

/** The scheduled appointment as an .ics file, in the actor's language. */
export async function referralCalendar(deps: Deps, actor: Actor, id: string, language: 'en' | 'es') {
  const out = await withTenant(deps.db.app, actor, async (tx) => {
    const found = await visibleReferral(deps, tx, actor, id, 'referral.read');
    if (!found) return null;
    const { r, organization } = found;
    if (!r.appointmentAt) throw badRequest('This referral has no appointment yet.');
    const [student] = await tx
      .select({ firstName: students.firstName, preferredName: students.preferredName })
      .from(students)
      .where(eq(students.id, r.studentId));
    return appointmentCalendar(
      r as Referral,
      organization,
      student?.preferredName ?? student?.firstName ?? '',
      language,
      deps.settings.publicUrl,
      deps.clock.now(),
    );
  });
  if (!out) throw notFound('That referral');
  return out;
}

/** Marks a follow-up done (the referring school's staff). */
export async function completeFollowUp(deps: Deps, actor: Actor, followUpId: string, note: string | undefined) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const [f] = isUuid(followUpId) ? await tx.select().from(referralFollowUps).where(eq(referralFollowUps.id, followUpId)) : [];
    const r = f ? await loadReferral(tx, f.referralId) : undefined;
    if (!f || !r || sideOf(actor, r) !== 'school') throw notFound('That follow-up');
    if (f.doneAt) return { done: true };
    await tx
      .update(referralFollowUps)
      .set({ doneAt: deps.clock.now(), note: note ?? null })
      .where(eq(referralFollowUps.id, f.id));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'referral.follow_up_done',
      subjectType: 'referral',
      subjectId: r.id,
      studentId: r.studentId,
      detail: { kind: f.kind },
    });
    return { done: true };
  });
}

import { and, asc, desc, eq, inArray, isNotNull, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { allowingGrant, supportSchools } from '../../access/policy.ts';
import { users } from '../../data/accounts.ts';
import { partnerServices } from '../../data/directory.ts';
import { schools } from '../../data/districts.ts';
import { partnerOrganizations } from '../../data/partners.ts';
import { referralEvents, referralFollowUps, referrals } from '../../data/referrals.ts';
import { students } from '../../data/students.ts';
import { recordStudentsShown, type StudentShown } from '../../platform/audit/students-shown.ts';
import type { Transaction } from '../../platform/db/client.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { factsOf } from './consent-paths.rules.ts';
import { appointmentCalendar } from './lifecycle.service.ts';
import { part2ScopeOf, redisclosureNotice, schoolSees } from './part2.rules.ts';
import { referralBundle } from './referral.fhir.ts';
import { loadReferral, type Referral, sideOf } from './referral-access.ts';
import { visibleReferral } from './referral-view.service.ts';

const terminal = new Set(['rejected', 'completed', 'failed', 'cancelled']);

/** A referral to a substance-use program whose student's Part 2 consent lets nothing flow back. */
const part2Silent = sql`(${referrals.serviceType} = 'substance_use' and coalesce(${referrals.preferences} ->> 'part2Scope', 'none') = 'none')`;

/**
 * Referrals the actor works with: a student's (school staff), the schools they serve, or the
 * ones sent to their organization (partners; drafts and withdrawn referrals are never shown). Every
 * name seen, by school staff or a partner, is a row in that student's access log; for a
 * student-initiated connection the partner sees only the name the student gave (and the grade if
 * the student chose to share it). The school sees a Part 2 program's referral only as far as the
 * student's consent lets it flow back, even in whether it is listed as open or closed.
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
    } else
      where.push(
        inArray(referrals.organizationId, partnerOrgs),
        ne(referrals.status, 'draft'),
        sql`(${referrals.preferences} ->> 'consentWithdrawnAt') is null`,
      );
    if (query.studentId) where.push(eq(referrals.studentId, query.studentId));
    if (query.open === 'true') where.push(schoolSide ? or(isNull(referrals.closedAt), part2Silent) : isNull(referrals.closedAt));
    if (query.open === 'false') where.push(schoolSide ? or(isNotNull(referrals.closedAt), part2Silent) : isNotNull(referrals.closedAt));
    const found = await tx
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
    const seenBySchool = schoolSide
      ? await schoolStatuses(
          tx,
          found.map((row) => row.referral),
        )
      : new Map<string, SchoolStatus>();
    const rows = found.filter((row) => {
      const seen = seenBySchool.get(row.referral.id);
      if (!seen?.part2 || query.open === undefined) return true;
      return query.open === 'true' ? !terminal.has(seen.status) : terminal.has(seen.status);
    });
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
    // One access-log row per student named, with the referrals behind it (so a family's export can
    // leave out a student-initiated connection the guardian may not be told of), in one INSERT.
    const shown = rows.flatMap((row): StudentShown[] => {
      const records = [row.referral.id];
      if (!schoolSide) return [{ studentId: row.referral.studentId, basis: { partner: row.organization }, records }];
      const grant = allowingGrant(actor, 'referral.actForSchool', { schoolId: row.referral.schoolId });
      return grant ? [{ studentId: row.referral.studentId, basis: { grant, school: row.school }, records }] : [];
    });
    await recordStudentsShown(deps.audit, tx, actor.districtId, auditActor(actor), schoolSide ? 'referral_list' : 'partner_referral_list', shown, {
      action: 'referral.listed',
      subjectType: 'referral_list',
      detail: { results: rows.length, student: query.studentId ?? null, side: schoolSide ? 'school' : 'partner' },
    });
    return rows.map((row) => {
      const connection = schoolSide ? undefined : factsOf(row.referral.preferences).studentConnection;
      const seen = seenBySchool.get(row.referral.id);
      return {
        id: row.referral.id,
        student: connection
          ? { name: connection.name, grade: connection.share.includes('grade') ? row.grade : null }
          : { ...(schoolSide ? { id: row.referral.studentId } : {}), name: `${row.preferredName ?? row.firstName} ${row.lastName}`, grade: row.grade },
        school: row.school,
        organization: row.organization,
        service: row.service,
        serviceType: row.referral.serviceType,
        urgency: row.referral.urgency,
        status: seen?.status ?? row.referral.status,
        createdAt: row.referral.createdAt.toISOString(),
        appointmentAt: seen?.appointmentHidden ? null : (row.referral.appointmentAt?.toISOString() ?? null),
        openFollowUps: schoolSide ? openFollowUps.filter((f) => f.referralId === row.referral.id).length : 0,
        studentInitiated: schoolSide ? factsOf(row.referral.preferences).studentConnection !== undefined : connection !== undefined,
        ...(seen?.part2 ? { redisclosureNotice } : {}),
      };
    });
  });
}

type SchoolStatus = { status: string; part2: boolean; appointmentHidden: boolean };

/** What the school may see of each Part 2 program's referral status (part2.rules.ts). */
async function schoolStatuses(tx: Transaction, rows: Referral[]): Promise<Map<string, SchoolStatus>> {
  const out = new Map<string, SchoolStatus>();
  const silent = rows.filter((r) => part2ScopeOf(r.serviceType, factsOf(r.preferences).part2Scope) === 'none');
  const events = silent.length
    ? await tx
        .select({
          referralId: referralEvents.referralId,
          at: referralEvents.at,
          side: referralEvents.side,
          from: referralEvents.fromStatus,
          to: referralEvents.toStatus,
        })
        .from(referralEvents)
        .where(
          inArray(
            referralEvents.referralId,
            silent.map((r) => r.id),
          ),
        )
        .orderBy(asc(referralEvents.at))
    : [];
  for (const r of rows) {
    const scope = part2ScopeOf(r.serviceType, factsOf(r.preferences).part2Scope);
    if (!scope) continue;
    const seen = schoolSees(scope, {
      status: r.status,
      statusReason: null,
      appointment: r.appointmentAt,
      firstSeenAt: null,
      events: events.filter((e) => e.referralId === r.id).map((e) => ({ ...e, at: e.at.toISOString(), reason: null })),
    });
    out.set(r.id, { status: seen.status, part2: true, appointmentHidden: seen.appointment === null });
  }
  return out;
}

/**
 * The parts of a referral that depend on who exports it: the partner of a student-initiated
 * connection knows the student by the name the student gave and reads the student's own note; the
 * school sees a Part 2 program's moves only as far as the student's consent allows, with the notice.
 */
async function sideFacts(tx: Transaction, r: Referral, side: 'school' | 'partner') {
  const facts = factsOf(r.preferences);
  const [student] = await tx
    .select({ firstName: students.firstName, preferredName: students.preferredName, lastName: students.lastName })
    .from(students)
    .where(eq(students.id, r.studentId));
  if (side === 'partner') {
    const connection = facts.studentConnection;
    return {
      r,
      studentName: connection?.name ?? `${student?.firstName ?? ''} ${student?.lastName ?? ''}`.trim(),
      firstName: connection?.name ?? student?.preferredName ?? student?.firstName ?? '',
      note: connection ? connection.note : r.familySharedNote,
      part2Notice: undefined,
      lastModified: undefined,
    };
  }
  const scope = part2ScopeOf(r.serviceType, facts.part2Scope);
  const events = scope
    ? await tx
        .select({
          at: referralEvents.at,
          side: referralEvents.side,
          from: referralEvents.fromStatus,
          to: referralEvents.toStatus,
          reason: referralEvents.reason,
        })
        .from(referralEvents)
        .where(eq(referralEvents.referralId, r.id))
        .orderBy(asc(referralEvents.at))
    : [];
  const seen = schoolSees(scope, {
    status: r.status,
    statusReason: r.statusReason,
    appointment: r.appointmentAt,
    firstSeenAt: r.firstSeenAt?.toISOString() ?? null,
    events: events.map((e) => ({ ...e, at: e.at.toISOString() })),
  });
  return {
    r: {
      ...r,
      status: seen.status as Referral['status'],
      statusReason: seen.statusReason,
      appointmentAt: seen.appointment,
      firstSeenAt: seen.firstSeenAt ? r.firstSeenAt : null,
    },
    studentName: `${student?.firstName ?? ''} ${student?.lastName ?? ''}`.trim(),
    firstName: student?.preferredName ?? student?.firstName ?? '',
    note: r.familySharedNote,
    part2Notice: scope ? redisclosureNotice : undefined,
    lastModified: scope ? new Date(seen.events.at(-1)?.at ?? r.createdAt) : undefined,
  };
}

/** The referral as a FHIR ServiceRequest + Task pair, for either side. */
export async function referralFhir(deps: Deps, actor: Actor, id: string) {
  const out = await withTenant(deps.db.app, actor, async (tx) => {
    const found = await visibleReferral(deps, tx, actor, id, 'referral.exported');
    if (!found) return null;
    const { organization } = found;
    const { r, studentName, note, part2Notice, lastModified } = await sideFacts(tx, found.r, found.side);
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
        familySharedNote: note,
        serviceName: service?.name ?? r.serviceType,
        organization: { id: r.organizationId, name: organization },
        student: { id: r.studentId, name: studentName },
        requester: { id: r.referredBy, name: referrer?.name ?? '' },
        lastModified: lastModified ?? last?.at ?? r.createdAt,
        ...(part2Notice ? { part2Notice } : {}),
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
    const { r, firstName, part2Notice } = await sideFacts(tx, found.r, found.side);
    if (!r.appointmentAt)
      throw badRequest('This referral has no appointment yet.', { code: 'referral_no_appointment', es: 'Esta derivación todavía no tiene cita.' });
    return appointmentCalendar(r, found.organization, firstName, language, deps.settings.publicUrl, deps.clock.now(), part2Notice);
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

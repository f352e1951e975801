import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { type Actor, auditActor } from '../../access/actor.ts';
import { users } from '../../data/accounts.ts';
import { partnerOrganizations } from '../../data/partners.ts';
import { referralEvents, referralFollowUps, referrals } from '../../data/referrals.ts';
import { guardians, studentGuardians, students } from '../../data/students.ts';
import type { Transaction } from '../../platform/db/client.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, forbidden, notFound } from '../../platform/errors.ts';
import { calendarFile } from '../../platform/ics.ts';
import { isUuid } from '../../platform/ids.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { districtDay, parseMoment } from '../../platform/time-zone.ts';
import { mailFamily } from '../family-contact/index.ts';
import { factsOf, invitationRecipients } from './consent-paths.rules.ts';
import { familyCheckInDue, settledBy } from './follow-through.rules.ts';
import { followThroughAllowed, part2ScopeOf } from './part2.rules.ts';
import { checkMove } from './referral.rules.ts';
import { districtTimeZone, loadReferral, type Referral, sideOf } from './referral-access.ts';
import type { moveInput } from './referrals.schema.ts';

const terminal = new Set(['rejected', 'completed', 'failed', 'cancelled']);

/**
 * Moves a referral along its FHIR Task lifecycle for the side the actor acts for (the other side's
 * moves are refused with 403, "attended" before the appointment's day with 400). Scheduling
 * e-mails an .ics invitation to whoever the consent path allows, each in their language; the
 * first attended appointment is the "seen" moment and creates the family check-in (unless a Part 2
 * program may not tell the school about attendance); each move settles the follow-ups it answers.
 */
export async function moveReferral(deps: Deps, actor: Actor, id: string, input: z.infer<typeof moveInput>) {
  const moved = await withTenant(deps.db.app, actor, async (tx) => {
    const r = isUuid(id) ? await loadReferral(tx, id) : undefined;
    const side = r ? sideOf(actor, r) : null;
    if (!r || !side) throw notFound('That referral');
    if (input.status === 'requested')
      throw badRequest('Send the referral with its consent (POST /api/v1/referrals/:id/send).', {
        code: 'referral_send_with_consent',
        es: 'Envíe la derivación con su consentimiento (POST /api/v1/referrals/:id/send).',
      });
    const now = deps.clock.now();
    const timeZone = await districtTimeZone(tx, actor.districtId);
    const today = districtDay(now, timeZone);
    const appointmentDay = r.appointmentAt ? districtDay(r.appointmentAt, timeZone) : null;
    const check = checkMove(r.status, input.status, side, { reason: input.reason, appointmentAt: input.appointmentAt, appointmentDay, today });
    if (!check.ok) {
      const refused = check.forbidden ? forbidden : badRequest;
      throw refused(check.reason, { code: 'referral_status_refused', es: check.es });
    }
    if (input.status === 'scheduled' && !input.appointmentPlace && !input.telehealthUrl)
      throw badRequest('Say where the appointment is, or give the telehealth link.', {
        code: 'appointment_place_required',
        es: 'Indique dónde es la cita o dé el enlace de telesalud.',
      });
    const appointmentAt = input.appointmentAt ? parseMoment(input.appointmentAt, timeZone) : null;
    if (appointmentAt && Number.isNaN(appointmentAt.getTime()))
      throw badRequest('The appointment time is not a real date and time.', {
        code: 'appointment_time_invalid',
        es: 'La hora de la cita no es una fecha y hora válidas.',
      });
    const attended = input.status === 'in-progress' && r.firstSeenAt === null;
    await tx
      .update(referrals)
      .set({
        status: input.status,
        statusReason: input.reason ?? null,
        ...(input.status === 'accepted' ? { acceptedAt: now } : {}),
        ...(input.status === 'scheduled'
          ? {
              appointmentAt,
              appointmentMinutes: input.appointmentMinutes,
              appointmentPlace: input.appointmentPlace ?? null,
              telehealthUrl: input.telehealthUrl ?? null,
            }
          : {}),
        ...(attended ? { firstSeenAt: r.appointmentAt && r.appointmentAt <= now ? r.appointmentAt : now } : {}),
        ...(terminal.has(input.status) ? { closedAt: now } : {}),
      })
      .where(eq(referrals.id, r.id));
    await tx.insert(referralEvents).values({
      id: deps.ids.uuid(),
      districtId: actor.districtId,
      referralId: r.id,
      at: now,
      byUserId: actor.userId,
      side,
      fromStatus: r.status,
      toStatus: input.status,
      reason: input.reason ?? null,
    });
    const settles = settledBy(input.status);
    if (settles.length)
      await tx
        .update(referralFollowUps)
        .set({ doneAt: now, note: `Settled: the referral became ${input.status}.` })
        .where(and(eq(referralFollowUps.referralId, r.id), isNull(referralFollowUps.doneAt), inArray(referralFollowUps.kind, settles)));
    if (attended && followThroughAllowed(part2ScopeOf(r.serviceType, factsOf(r.preferences).part2Scope)))
      await tx
        .insert(referralFollowUps)
        .values({
          id: deps.ids.uuid(),
          districtId: actor.districtId,
          referralId: r.id,
          kind: 'family_checkin',
          ownerUserId: r.referredBy,
          dueOn: familyCheckInDue(today),
          createdAt: now,
        })
        .onConflictDoNothing();
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'referral.moved',
      subjectType: 'referral',
      subjectId: r.id,
      studentId: r.studentId,
      detail: { from: r.status, to: input.status, side },
    });
    const updated = (await loadReferral(tx, r.id)) as Referral;
    const invited = input.status === 'scheduled' ? await invitations(deps, tx, updated, timeZone) : [];
    // Into the outbox with the move itself; the family's invitation waits for a person while a
    // concern of abuse names the household.
    for (const { kind, ...mail } of invited) {
      if (kind === 'guardian') await mailFamily(deps, tx, { districtId: actor.districtId, studentId: r.studentId, kind: 'referral_invitation', mail });
      else await enqueueMessage(deps, tx, { districtId: actor.districtId, purpose: 'referral.invitation', message: { kind: 'email', ...mail } });
    }
    return { status: input.status, invited, studentId: r.studentId };
  });
  return { id, status: moved.status, familyInvited: moved.invited.some((m) => m.kind === 'guardian'), invited: moved.invited.map((m) => m.kind) };
}

const words = {
  en: {
    subject: (org: string) => `Appointment with ${org}`,
    body: (name: string, org: string, when: string, where: string) =>
      `${name} has an appointment with ${org} on ${when}.\n${where}\n\nThe invitation is attached; open it to add it to your calendar. If the time does not work, reply to the school counselor.\n\nIn a crisis call or text 988, or call Colorado Crisis Services at 1-844-493-8255.`,
    student: (_name: string, org: string, when: string, where: string) =>
      `You have an appointment with ${org} on ${when}.\n${where}\n\nThe invitation is attached; open it to add it to your calendar. If the time does not work, tell your school counselor.\n\nIn a crisis call or text 988, or call Colorado Crisis Services at 1-844-493-8255.`,
    counselor: (name: string, org: string, when: string, where: string) =>
      `${name} has an appointment with ${org} on ${when}.\n${where}\n\n${name} asked to be reached through you: please pass this on. The student sought this care on their own consent; tell the guardian only if the referral page says the guardian may be told.`,
    place: (p: string) => `Where: ${p}`,
    video: (u: string) => `Video visit link: ${u}`,
  },
  es: {
    subject: (org: string) => `Cita con ${org}`,
    body: (name: string, org: string, when: string, where: string) =>
      `${name} tiene una cita con ${org} el ${when}.\n${where}\n\nLa invitación va adjunta; ábrala para añadirla a su calendario. Si la hora no le conviene, responda al consejero escolar.\n\nEn una crisis llame o envíe un texto al 988, o llame a Colorado Crisis Services al 1-844-493-8255.`,
    student: (_name: string, org: string, when: string, where: string) =>
      `Tienes una cita con ${org} el ${when}.\n${where}\n\nLa invitación va adjunta; ábrela para añadirla a tu calendario. Si la hora no te conviene, díselo a tu consejero escolar.\n\nEn una crisis llama o envía un texto al 988, o llama a Colorado Crisis Services al 1-844-493-8255.`,
    counselor: (name: string, org: string, when: string, where: string) =>
      `${name} tiene una cita con ${org} el ${when}.\n${where}\n\n${name} pidió que le avisaran a través de usted: por favor, transmítaselo. El estudiante buscó esta atención con su propio consentimiento; informe al tutor solo si la página de la derivación dice que se le puede informar.`,
    place: (p: string) => `Lugar: ${p}`,
    video: (u: string) => `Enlace de la videollamada: ${u}`,
  },
};

/** The appointment as an .ics file, for the invitations and for staff to download (with the Part 2 notice when the school downloads it). */
export function appointmentCalendar(
  r: Referral,
  organization: string,
  studentFirstName: string,
  language: 'en' | 'es',
  publicUrl: string,
  stamp: Date,
  notice?: string,
) {
  const w = words[language];
  return calendarFile({
    uid: `${r.id}-${r.appointmentAt?.getTime()}@${new URL(publicUrl).hostname}`,
    start: r.appointmentAt as Date,
    minutes: r.appointmentMinutes ?? 50,
    summary: `${w.subject(organization)} (${studentFirstName})`,
    location: r.telehealthUrl ?? r.appointmentPlace ?? undefined,
    url: r.telehealthUrl ?? undefined,
    description: [r.appointmentPlace && w.place(r.appointmentPlace), r.telehealthUrl && w.video(r.telehealthUrl), notice].filter(Boolean).join('\n'),
    stamp,
  });
}

type Invited = 'guardian' | 'student' | 'counselor';

/**
 * The appointment invitations, with the .ics attached. Who is invited follows the consent path
 * (consent-paths.rules.ts): the primary guardian with an e-mail address (in their language),
 * unless the student sought care on their own consent and the guardian may not be told; the
 * student at their own address (in the language of the referral); or the counselor the student
 * asked to be reached through (in English, like all staff mail).
 */
async function invitations(deps: Deps, tx: Transaction, r: Referral, timeZone: string) {
  const connection = factsOf(r.preferences).studentConnection;
  const [guardian] = await tx
    .select({ email: guardians.email, language: guardians.preferredLanguage })
    .from(studentGuardians)
    .innerJoin(guardians, eq(guardians.id, studentGuardians.guardianId))
    .where(eq(studentGuardians.studentId, r.studentId))
    .orderBy(desc(studentGuardians.primaryContact));
  const [student] = await tx
    .select({ firstName: students.firstName, preferredName: students.preferredName })
    .from(students)
    .where(eq(students.id, r.studentId));
  const [counselor] = await tx.select({ email: users.email }).from(users).where(eq(users.id, r.referredBy));
  const [org] = await tx.select({ name: partnerOrganizations.name }).from(partnerOrganizations).where(eq(partnerOrganizations.id, r.organizationId));
  const organization = org?.name ?? '';
  const studentLanguage = r.preferences.language?.startsWith('es') ? 'es' : 'en';
  const mail = (kind: Invited, to: string, language: 'en' | 'es', name: string) => {
    const w = words[language];
    const when = new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', { dateStyle: 'full', timeStyle: 'short', timeZone }).format(
      r.appointmentAt as Date,
    );
    const where = r.telehealthUrl ? w.video(r.telehealthUrl) : w.place(r.appointmentPlace ?? '');
    const text = kind === 'student' ? w.student : kind === 'counselor' ? w.counselor : w.body;
    return {
      kind,
      to,
      subject: w.subject(organization),
      text: text(name, organization, when, where),
      attachments: [
        {
          filename: 'appointment.ics',
          content: appointmentCalendar(r, organization, name, language, deps.settings.publicUrl, deps.clock.now()),
          contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
        },
      ],
    };
  };
  const out: ReturnType<typeof mail>[] = [];
  for (const kind of invitationRecipients(connection)) {
    if (kind === 'guardian' && guardian?.email)
      out.push(mail('guardian', guardian.email, guardian.language === 'es' ? 'es' : 'en', student?.preferredName ?? student?.firstName ?? ''));
    if (kind === 'student' && connection?.contact) out.push(mail('student', connection.contact, studentLanguage, connection.name));
    if (kind === 'counselor' && counselor && connection) out.push(mail('counselor', counselor.email, 'en', connection.name));
  }
  return out;
}

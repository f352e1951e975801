import { and, eq, inArray, isNull } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { sha256 } from '../../platform/secrets.ts';
import { users } from '../accounts/accounts.tables.ts';
import { crisisTeamMembers } from '../crisis-teams/crisis-teams.tables.ts';
import { schools } from '../districts/districts.tables.ts';
import { students } from '../students/students.tables.ts';
import { screeningSessions, screeningWindows } from './screening.tables.ts';
import { mayProctor } from './windows.service.ts';

/**
 * An acute-positive ASQ (imminent risk) during a screening window: the adult in the room must
 * keep the student with them until the crisis team arrives (NIMH ASQ: never alone, STAT safety
 * evaluation). The proctors are alerted at once on every channel they have, beside the crisis
 * team's own alert, and the student's device stays on "stay with the adult in the room" until a
 * proctor releases it, so the next student never sees it and the student is never sent away.
 */
export async function holdForProctor(deps: Deps, input: { sessionId: string; districtId: string; token: string }): Promise<void> {
  const now = deps.clock.now();
  const found = await withTenant(deps.db.app, { districtId: input.districtId }, async (tx) => {
    const [held] = await tx
      .update(screeningSessions)
      .set({ holdTokenHash: sha256(input.token), heldAt: now })
      .where(and(eq(screeningSessions.id, input.sessionId), isNull(screeningSessions.heldAt)))
      .returning();
    if (!held) return null;
    const [window] = await tx.select().from(screeningWindows).where(eq(screeningWindows.id, held.windowId));
    const [student] = await tx
      .select({ firstName: students.firstName, lastName: students.lastName, school: schools.name })
      .from(students)
      .innerJoin(schools, eq(schools.id, students.schoolId))
      .where(eq(students.id, held.studentId));
    const proctorIds = [...new Set([...(window?.proctorUserIds ?? []), ...(held.issuedBy ? [held.issuedBy] : [])])];
    const people = proctorIds.length ? await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, proctorIds)) : [];
    const phones = proctorIds.length
      ? await tx
          .select({ userId: crisisTeamMembers.userId, phone: crisisTeamMembers.phone })
          .from(crisisTeamMembers)
          .where(inArray(crisisTeamMembers.userId, proctorIds))
      : [];
    // In the app the proctor sees who: they are screening this student and must keep them close.
    await deps.live.publishMany(tx, [
      {
        userIds: proctorIds,
        type: 'screening.hold',
        data: {
          windowId: held.windowId,
          sessionId: held.id,
          student: student ? `${student.firstName} ${student.lastName}` : '',
          school: student?.school ?? '',
        },
      },
    ]);
    return { held, people, phones: phones.filter((p) => p.phone), school: student?.school ?? 'school' };
  });
  if (!found) return;
  const link = `${deps.settings.publicUrl}/screening/windows/${found.held.windowId}`;
  // E-mail and text name the school only: student data stays inside Haven.
  const text = `Haven: keep the student you are screening at ${found.school} with you. Do not let them leave or be alone. Their answers show imminent risk; the crisis team has been alerted and is coming. Open: ${link}`;
  const sent: { channel: string; outcome: 'sent' | 'failed' }[] = [];
  const attempt = async (channel: 'email' | 'sms', work: () => Promise<unknown>) => {
    try {
      await work();
      sent.push({ channel, outcome: 'sent' });
    } catch {
      sent.push({ channel, outcome: 'failed' });
    }
  };
  for (const person of found.people)
    await attempt('email', () => deps.mailer.send({ to: person.email, subject: 'Keep the student with you: imminent risk', text }));
  for (const { phone } of found.phones) await attempt('sms', () => deps.sms.send(phone as string, text));
  await withTenant(deps.db.app, { districtId: input.districtId }, (tx) =>
    deps.audit.append(
      tx,
      input.districtId,
      { userId: null, label: 'student screen' },
      {
        action: 'screening.proctor_alerted',
        subjectType: 'screening_session',
        subjectId: found.held.id,
        studentId: found.held.studentId,
        detail: { proctors: found.people.length, messages: sent },
      },
    ),
  );
}

/** The language of the hold on this device, when its screen cookie belongs to a held screen not yet released. */
export async function heldScreen(deps: Deps, token: string | undefined): Promise<{ language: 'en' | 'es' } | null> {
  if (!token || !/^[0-9a-f]{64}$/.test(token)) return null;
  const [session] = await deps.db.system
    .select({ language: screeningSessions.language, releasedAt: screeningSessions.releasedAt })
    .from(screeningSessions)
    .where(eq(screeningSessions.holdTokenHash, sha256(token)));
  if (!session || session.releasedAt) return null;
  return { language: session.language === 'es' ? 'es' : 'en' };
}

/** A proctor (or anyone who runs the window) releases the device once the student is with the crisis team. */
export async function releaseHold(deps: Deps, actor: Actor, windowId: string, sessionId: string): Promise<void> {
  await withTenant(deps.db.app, actor, async (tx) => {
    const [session] =
      isUuid(windowId) && isUuid(sessionId)
        ? await tx
            .select()
            .from(screeningSessions)
            .where(and(eq(screeningSessions.id, sessionId), eq(screeningSessions.windowId, windowId)))
        : [];
    const [window] = session ? await tx.select().from(screeningWindows).where(eq(screeningWindows.id, windowId)) : [];
    if (!session || !window || !session.heldAt || !mayProctor(actor, window, session.schoolId)) throw notFound('That held screen');
    if (session.releasedAt) return;
    await tx
      .update(screeningSessions)
      .set({ releasedAt: deps.clock.now(), releasedBy: actor.userId, holdTokenHash: null })
      .where(eq(screeningSessions.id, session.id));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'screening.hold_released',
      subjectType: 'screening_session',
      subjectId: session.id,
      studentId: session.studentId,
    });
  });
}

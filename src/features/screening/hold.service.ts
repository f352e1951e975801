import { and, eq, inArray, isNull } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { users } from '../../data/accounts.ts';
import { crisisTeamMembers } from '../../data/crisis-teams.ts';
import { schools } from '../../data/districts.ts';
import { screeningSessions, screeningWindows } from '../../data/screening.ts';
import { students } from '../../data/students.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { sendNow } from '../../platform/outbox/outbox.sender.ts';
import { enqueueMessages, type OutboxMessage } from '../../platform/outbox/outbox.ts';
import { sha256 } from '../../platform/secrets.ts';
import { proctorsOfStudent } from './proctor.repository.ts';
import { sessionColumns } from './session-columns.ts';
import { mayProctorStudent } from './windows.service.ts';

/**
 * An acute-positive ASQ (imminent risk) during a screening window: the adult in the room must
 * keep the student with them until the crisis team arrives (NIMH ASQ: never alone, STAT safety
 * evaluation). Its proctors are alerted at once on every channel they have, beside the crisis
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
      .returning(sessionColumns);
    if (!held) return null;
    const [window] = await tx.select().from(screeningWindows).where(eq(screeningWindows.id, held.windowId));
    const [student] = await tx
      .select({ firstName: students.firstName, lastName: students.lastName, school: schools.name })
      .from(students)
      .innerJoin(schools, eq(schools.id, students.schoolId))
      .where(eq(students.id, held.studentId));
    // The adults in the room: whoever gave the code, and the window's proctors of the student's classes
    // (not every proctor of the window: the alert names the student).
    const classProctors = (await proctorsOfStudent(tx, held.windowId, held.studentId)).filter((id) => window?.proctorUserIds.includes(id));
    const proctorIds = [...new Set([...classProctors, ...(held.issuedBy ? [held.issuedBy] : [])])];
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
    const school = student?.school ?? 'school';
    const link = `${deps.settings.publicUrl}/screening/windows/${held.windowId}`;
    // E-mail and text name the school only: student data stays inside Haven.
    const text = `Haven: keep the student you are screening at ${school} with you. Do not let them leave or be alone. Their answers show imminent risk; the crisis team has been alerted and is coming. Open: ${link}`;
    // In the outbox with the hold itself, and sent the moment it commits (below), not at the worker's next pass.
    const keep = (message: OutboxMessage) => ({ districtId: input.districtId, message, purpose: 'screening.hold', sendAfterCommit: true });
    const messages = [
      ...people.map((person) => keep({ kind: 'email', to: person.email, subject: 'Keep the student with you: imminent risk', text })),
      ...phones.flatMap(({ phone }) => (phone ? [keep({ kind: 'sms', to: phone, text })] : [])),
    ];
    const outboxIds = await enqueueMessages(deps, tx, messages);
    return { held, people, messages: messages.map((m, i) => ({ id: outboxIds[i] as string, channel: m.message.kind })) };
  });
  if (!found) return;
  // A failure here is retried by the outbox; the audit says how the first attempt went.
  const results = await sendNow(
    deps,
    found.messages.map((m) => m.id),
  );
  const delivered = new Set(results.filter((r) => r.ok).map((r) => r.id));
  const sent = found.messages.map((m) => ({ channel: m.channel, outcome: delivered.has(m.id) ? 'sent' : 'failed' }));
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
            .select(sessionColumns)
            .from(screeningSessions)
            .where(and(eq(screeningSessions.id, sessionId), eq(screeningSessions.windowId, windowId)))
        : [];
    const [window] = session ? await tx.select().from(screeningWindows).where(eq(screeningWindows.id, windowId)) : [];
    if (!session || !window || !session.heldAt || !(await mayProctorStudent(tx, actor, window, { id: session.studentId }))) {
      throw notFound('That held screen');
    }
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

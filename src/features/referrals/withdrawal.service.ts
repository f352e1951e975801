import { and, eq, isNull } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { referralConsents, referralEvents, referralFollowUps, referrals } from '../../data/referrals.ts';
import { students } from '../../data/students.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { factsOf, restsOnConsent } from './consent-paths.rules.ts';
import { accessWithdrawnNotice } from './notices.text.ts';
import { mailQuietly, partnerStaffEmails, recordFacts } from './referral-access.ts';

const terminal = new Set(['rejected', 'completed', 'failed', 'cancelled']);
const withdrawnReason = 'The guardian withdrew the consent this referral was sent on.';

/**
 * A guardian withdraws a written consent. Nothing more is shared on it from now on, and every
 * referral sent on it is withdrawn with it in the same transaction: the partner loses it at once
 * (404 on every endpoint, see sideOf), an open referral is cancelled with the reason, its open
 * follow-ups are closed, and no reminder, invitation or status mail follows. The partner's staff
 * are told, without any student data. What was already disclosed stays in the access log.
 */
export async function withdrawGuardianConsent(deps: Deps, actor: Actor, studentId: string, consentId: string, reason: string | undefined) {
  const done = await withTenant(deps.db.app, actor, async (tx) => {
    const [student] = isUuid(studentId) ? await tx.select().from(students).where(eq(students.id, studentId)) : [];
    if (!student || !can(actor, 'referral.create', { schoolId: student.schoolId })) throw notFound('That student');
    const [consent] = isUuid(consentId)
      ? await tx
          .select()
          .from(referralConsents)
          .where(and(eq(referralConsents.id, consentId), eq(referralConsents.studentId, student.id), eq(referralConsents.kind, 'guardian')))
      : [];
    if (!consent) throw notFound('That consent');
    if (consent.withdrawnAt)
      throw badRequest('That consent was already withdrawn.', { code: 'consent_already_withdrawn', es: 'Ese consentimiento ya fue retirado.' });
    const now = deps.clock.now();
    await tx.update(referralConsents).set({ withdrawnAt: now }).where(eq(referralConsents.id, consent.id));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'referral.consent_withdrawn',
      subjectType: 'student',
      subjectId: student.id,
      studentId: student.id,
      ...(reason ? { reason } : {}),
      detail: { consentId: consent.id },
    });
    const affected = (await tx.select().from(referrals).where(eq(referrals.studentId, student.id))).filter((r) =>
      restsOnConsent({ ...r, facts: factsOf(r.preferences) }, consent),
    );
    for (const r of affected) {
      await recordFacts(tx, r.id, { consentWithdrawnAt: now.toISOString() });
      if (!terminal.has(r.status)) {
        await tx.update(referrals).set({ status: 'cancelled', statusReason: withdrawnReason, closedAt: now }).where(eq(referrals.id, r.id));
        await tx.insert(referralEvents).values({
          id: deps.ids.uuid(),
          districtId: actor.districtId,
          referralId: r.id,
          at: now,
          byUserId: actor.userId,
          side: 'school',
          fromStatus: r.status,
          toStatus: 'cancelled',
          reason: withdrawnReason,
        });
      }
      await tx
        .update(referralFollowUps)
        .set({ doneAt: now, note: 'Cancelled: the guardian withdrew consent.' })
        .where(and(eq(referralFollowUps.referralId, r.id), isNull(referralFollowUps.doneAt)));
      await deps.audit.append(tx, actor.districtId, auditActor(actor), {
        action: 'referral.access_withdrawn',
        subjectType: 'referral',
        subjectId: r.id,
        studentId: student.id,
        reason: 'the guardian withdrew the consent it was sent on; the partner no longer sees it',
        detail: { consentId: consent.id, organizationId: r.organizationId, from: r.status },
      });
    }
    return { id: consent.id, referrals: affected.map((r) => ({ id: r.id, organizationId: r.organizationId })) };
  });
  for (const organizationId of new Set(done.referrals.map((r) => r.organizationId))) {
    const notice = accessWithdrawnNotice(done.referrals.filter((r) => r.organizationId === organizationId).map((r) => r.id));
    await mailQuietly(deps, actor.districtId, await partnerStaffEmails(deps, actor.districtId, organizationId), {
      ...notice,
      purpose: 'referral.access_withdrawn',
    });
  }
  return { id: done.id, withdrawn: true, referralsWithdrawn: done.referrals.length };
}

import { eq, inArray } from 'drizzle-orm';
import { users } from '../../data/accounts.ts';
import { districts } from '../../data/districts.ts';
import { referralFollowUps, referrals } from '../../data/referrals.ts';
import type { Deps } from '../../platform/deps.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { factsOf } from './consent-paths.rules.ts';
import { type FollowUpKind, followThrough } from './follow-through.rules.ts';
import { followThroughAllowed, part2ScopeOf } from './part2.rules.ts';
import { mailQuietly, partnerStaffEmails } from './referral-access.ts';

const counselorMessage: Record<FollowUpKind, string> = {
  partner_no_answer: 'The partner has not answered a referral you sent, even after a reminder. Call them, or choose another service.',
  no_appointment: 'A partner accepted your referral 10 days ago and has not scheduled an appointment. Check in with them and the family.',
  missed_appointment: 'A referral appointment has passed and the partner has not marked it attended. Check in with the family.',
  family_checkin: 'A student was seen for the first time by a partner. Check in with the family about how it went.',
};

/**
 * The worker's follow-through sweep over every open referral: reminds partners who have not
 * answered, and gives the referring counselor a follow-up (with an e-mail that names no student)
 * when a partner stays silent, no appointment is made, or an appointment passes unattended.
 * Due dates come from the referral's own dates, so a second sweep the same day adds nothing.
 * A withdrawn referral is cancelled, so it is never swept again.
 */
export async function followThroughReferrals(deps: Deps): Promise<{ partnersReminded: number; followUps: number }> {
  const now = deps.clock.now();
  const open = await deps.db.system
    .select({ referral: referrals, timeZone: districts.timeZone })
    .from(referrals)
    .innerJoin(districts, eq(districts.id, referrals.districtId))
    .where(inArray(referrals.status, ['requested', 'accepted', 'scheduled']));
  let partnersReminded = 0;
  let created = 0;
  for (const { referral: r, timeZone } of open) {
    const day = (d: Date | null) => (d ? districtDay(d, timeZone) : null);
    const step = followThrough(
      {
        status: r.status,
        requestedOn: day(r.requestedAt),
        acceptedOn: day(r.acceptedAt),
        appointmentOn: day(r.appointmentAt),
        partnerReminded: r.partnerRemindedAt !== null,
      },
      districtDay(now, timeZone),
    );
    if (step.remindPartner) {
      await deps.db.system.update(referrals).set({ partnerRemindedAt: now }).where(eq(referrals.id, r.id));
      await mailQuietly(deps, r.districtId, await partnerStaffEmails(deps, r.districtId, r.organizationId), {
        purpose: 'referral.partner_reminder',
        subject: 'Haven: a referral is still waiting for your answer',
        text: `A school sent your organization a referral 2 school days ago. Please accept or decline it today:\n${deps.settings.publicUrl}/referrals/${r.id}`,
      });
      partnersReminded += 1;
    }
    // A Part 2 program whose student agreed to tell the school nothing: a follow-up would tell it.
    const allowed = followThroughAllowed(part2ScopeOf(r.serviceType, factsOf(r.preferences).part2Scope));
    for (const f of allowed ? step.followUps : []) {
      const inserted = await deps.db.system
        .insert(referralFollowUps)
        .values({ id: deps.ids.uuid(), districtId: r.districtId, referralId: r.id, kind: f.kind, ownerUserId: r.referredBy, dueOn: f.dueOn, createdAt: now })
        .onConflictDoNothing()
        .returning({ id: referralFollowUps.id });
      if (inserted.length === 0) continue;
      created += 1;
      const [owner] = await deps.db.system.select({ email: users.email }).from(users).where(eq(users.id, r.referredBy));
      if (owner)
        await mailQuietly(deps, r.districtId, [owner.email], {
          purpose: 'referral.follow_up',
          subject: 'Haven: a referral needs your follow-up',
          text: `${counselorMessage[f.kind]}\n${deps.settings.publicUrl}/referrals/${r.id}`,
        });
    }
  }
  return { partnersReminded, followUps: created };
}

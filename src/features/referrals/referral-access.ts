import { and, eq, gte, isNull, lte, sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { roleGrants, users } from '../../data/accounts.ts';
import { partnerAgreements } from '../../data/directory.ts';
import { referrals } from '../../data/referrals.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { ageOn } from '../../platform/durations.ts';
import { enqueueMessages } from '../../platform/outbox/outbox.ts';
import { type ConsentFactsOnFile, factsOf } from './consent-paths.rules.ts';
import type { Side } from './referral.rules.ts';

export type Referral = typeof referrals.$inferSelect;

/**
 * Which side the actor acts for on this referral, or null when they may not see it at all. The
 * school's clinical staff act for the school; the receiving partner's staff for the partner, and
 * only once the referral was sent (a draft has not been disclosed to anyone) and while the consent
 * it was sent on stands: when the guardian withdraws it, the partner loses the referral at once.
 */
export function sideOf(actor: Actor, r: Referral): Side | null {
  if (can(actor, 'referral.actForSchool', { schoolId: r.schoolId })) return 'school';
  if (r.status === 'draft' || factsOf(r.preferences).consentWithdrawnAt) return null;
  if (can(actor, 'referral.actForPartner', { organizationId: r.organizationId })) return 'partner';
  return null;
}

/** Merges consent facts into the referral's jsonb in one statement, so two writers cannot undo each other. */
export async function recordFacts(tx: Transaction, referralId: string, facts: ConsentFactsOnFile) {
  await tx
    .update(referrals)
    .set({ preferences: sql`${referrals.preferences} || ${JSON.stringify(facts)}::jsonb` })
    .where(eq(referrals.id, referralId));
}

export async function loadReferral(tx: Transaction, id: string): Promise<Referral | undefined> {
  const [row] = await tx.select().from(referrals).where(eq(referrals.id, id));
  return row;
}

export { districtTimeZone } from '../districts/index.ts';

/**
 * The student's age from the birth date, or null when the roster has none. Never guessed from the
 * grade: the age decides whether a student may consent alone, and a guess can be a year wrong.
 */
export const ageOf = (s: { dateOfBirth: string | null }, today: string): number | null => (s.dateOfBirth ? ageOn(s.dateOfBirth, today) : null);

/** The partner's agreement current today, if any (a referral without one is warned about). */
export async function currentAgreement(tx: Transaction, organizationId: string, today: string) {
  const [a] = await tx
    .select()
    .from(partnerAgreements)
    .where(and(eq(partnerAgreements.organizationId, organizationId), lte(partnerAgreements.startsOn, today), gte(partnerAgreements.endsOn, today)))
    .orderBy(partnerAgreements.endsOn);
  return a;
}

/** The e-mail addresses of the partner organization's staff in Haven, in a transaction acting for its district. */
export async function partnerStaffIn(tx: Transaction, organizationId: string): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ email: users.email })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(and(eq(roleGrants.role, 'partner'), eq(roleGrants.partnerOrganizationId, organizationId), isNull(users.disabledAt)));
  return rows.map((r) => r.email);
}

/** The e-mail addresses of the partner organization's staff in Haven, read acting for the organization's district. */
export async function partnerStaffEmails(deps: Deps, districtId: string, organizationId: string): Promise<string[]> {
  return withTenant(deps.db.app, { districtId }, (tx) => partnerStaffIn(tx, organizationId));
}

/**
 * Mail never names the student: it says there is work and links to it, behind sign-in. Queued in
 * the caller's transaction, so it goes (or is listed for the administrators as failed) exactly
 * when what it announces is stored. `purpose` names it for that list (e.g. `referral.sent`).
 */
export async function queueQuietMail(
  deps: Deps,
  tx: Transaction,
  districtId: string,
  to: readonly string[],
  mail: { subject: string; text: string; purpose: string },
) {
  await enqueueMessages(
    deps,
    tx,
    to.map((address) => ({ districtId, purpose: mail.purpose, message: { kind: 'email', to: address, subject: mail.subject, text: mail.text } })),
  );
}

/** `queueQuietMail` in a transaction of its own, for a caller whose work is already committed. */
export async function mailQuietly(deps: Deps, districtId: string, to: readonly string[], mail: { subject: string; text: string; purpose: string }) {
  if (to.length === 0) return;
  await withTenant(deps.db.app, { districtId }, (tx) => queueQuietMail(deps, tx, districtId, to, mail));
}

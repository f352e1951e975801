import { and, eq, gte, isNull, lte } from 'drizzle-orm';
import type { Actor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { roleGrants, users } from '../accounts/accounts.tables.ts';
import { districts } from '../districts/districts.tables.ts';
import { partnerAgreements } from '../partners/directory.tables.ts';
import { ageOn, estimatedAge } from '../screening/eligibility.rules.ts';
import type { Side } from './referral.rules.ts';
import { referrals } from './referrals.tables.ts';

export type Referral = typeof referrals.$inferSelect;

/**
 * Which side the actor acts for on this referral, or null when they may not see it at all. The
 * school's clinical staff act for the school; the receiving partner's staff for the partner, and
 * only once the referral was sent: a draft has not been disclosed to anyone.
 */
export function sideOf(actor: Actor, r: Referral): Side | null {
  if (can(actor, 'referral.actForSchool', { schoolId: r.schoolId })) return 'school';
  if (r.status !== 'draft' && can(actor, 'referral.actForPartner', { organizationId: r.organizationId })) return 'partner';
  return null;
}

export async function loadReferral(tx: Transaction, id: string): Promise<Referral | undefined> {
  const [row] = await tx.select().from(referrals).where(eq(referrals.id, id));
  return row;
}

export async function districtTimeZone(tx: Transaction, districtId: string): Promise<string> {
  const [d] = await tx.select({ timeZone: districts.timeZone }).from(districts).where(eq(districts.id, districtId));
  return d?.timeZone ?? 'America/Denver';
}

/** The student's age from the birth date, or the usual age for the grade when the roster has none. */
export const ageOf = (s: { dateOfBirth: string | null; grade: string }, today: string) => (s.dateOfBirth ? ageOn(s.dateOfBirth, today) : estimatedAge(s.grade));

/** The partner's agreement current today, if any (a referral without one is warned about). */
export async function currentAgreement(tx: Transaction, organizationId: string, today: string) {
  const [a] = await tx
    .select()
    .from(partnerAgreements)
    .where(and(eq(partnerAgreements.organizationId, organizationId), lte(partnerAgreements.startsOn, today), gte(partnerAgreements.endsOn, today)))
    .orderBy(partnerAgreements.endsOn);
  return a;
}

/** The e-mail addresses of the partner organization's staff in Haven. */
export async function partnerStaffEmails(deps: Deps, organizationId: string): Promise<string[]> {
  const rows = await deps.db.system
    .selectDistinct({ email: users.email })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(and(eq(roleGrants.role, 'partner'), eq(roleGrants.partnerOrganizationId, organizationId), isNull(users.disabledAt)));
  return rows.map((r) => r.email);
}

/** Mail never names the student: it says there is work and links to it, behind sign-in. */
export async function mailQuietly(deps: Deps, to: string[], subject: string, text: string) {
  for (const address of to) await deps.mailer.send({ to: address, subject, text }).catch(() => undefined);
}

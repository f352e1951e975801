import { eq } from 'drizzle-orm';
import { districts } from '../../data/districts.ts';
import type { Transaction } from '../../platform/db/client.ts';

/**
 * The district's IANA time zone, for school days, deadlines, rotas and every date a person reads.
 * The one place it is looked up. There is no fallback zone: every district has one (the column is
 * required), so a missing district is a bug to surface, not a reason to show Denver's time.
 */
export async function districtTimeZone(tx: Pick<Transaction, 'select'>, districtId: string): Promise<string> {
  const [district] = await tx.select({ timeZone: districts.timeZone }).from(districts).where(eq(districts.id, districtId));
  if (!district) throw new Error(`district ${districtId} is not visible here; its time zone cannot be read`);
  return district.timeZone;
}

import { sql } from 'drizzle-orm';
import { pgPolicy } from 'drizzle-orm/pg-core';

/**
 * The district the current transaction acts for, as PostgreSQL sees it. `withTenant` sets it with
 * `set_config('haven.district_id', ..., true)`; outside such a transaction it is NULL, so the
 * policies below match no row at all. A forgotten scope yields nothing, never another district.
 */
export const currentDistrict = sql`nullif(current_setting('haven.district_id', true), '')::uuid`;

/** Row-level security for a tenant table: rows are visible and writable only inside their district. */
export function tenantIsolation(column = 'district_id') {
  const matches = sql.raw(`${column} = nullif(current_setting('haven.district_id', true), '')::uuid`);
  return pgPolicy('tenant_isolation', { as: 'permissive', for: 'all', using: matches, withCheck: matches });
}

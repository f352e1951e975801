import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { apiTokenScopes, roles } from './accounts.values.ts';
import { districts, schools } from './districts.ts';
import { partnerOrganizations } from './partners.ts';
import { tenantIsolation } from './tenancy.ts';

/**
 * A person who signs in. Users are global so that one person (a partner clinician, a
 * district-wide specialist) can hold grants in several districts; what they may see always
 * comes from their grants in the district they are acting in.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    /** Stored lower-cased; the sign-in name. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    /** argon2id PHC string; NULL until the person sets a password through a reset link. */
    passwordHash: text('password_hash'),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    /** TOTP secret, encrypted with the server key (AES-256-GCM). */
    totpSecretEncrypted: text('totp_secret_encrypted'),
    /** TOTP secret being enrolled, confirmed by a first code before it replaces the above. */
    totpPendingEncrypted: text('totp_pending_encrypted'),
    /** Last accepted TOTP time step: a code is never accepted twice. */
    totpLastStep: integer('totp_last_step'),
    preferredLanguage: text('preferred_language').notNull().default('en'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email').on(t.email),
    // A user row is visible to the app only inside a district where the user holds a grant.
    pgPolicy('visible_in_district', {
      as: 'permissive',
      for: 'select',
      using: sql`exists (select 1 from role_grants g where g.user_id = ${t.id} and g.district_id = nullif(current_setting('haven.district_id', true), '')::uuid)`,
    }),
  ],
);

export const roleGrants = pgTable(
  'role_grants',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: roles }).notNull(),
    /** NULL: the grant covers the whole district. */
    schoolId: uuid('school_id').references(() => schools.id),
    /** Set exactly when role = 'partner'. */
    partnerOrganizationId: uuid('partner_organization_id').references(() => partnerOrganizations.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('role_grants_user').on(t.userId),
    index('role_grants_district').on(t.districtId),
    uniqueIndex('role_grants_unique').on(t.districtId, t.userId, t.role, sql`coalesce(${t.schoolId}, '00000000-0000-0000-0000-000000000000'::uuid)`),
    tenantIsolation(),
  ],
);

/** Recovery codes for a lost authenticator; single use, stored as SHA-256 (they are random). */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('recovery_codes_unique').on(t.userId, t.codeHash)],
);

/** Server-side sessions. The cookie holds a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** The district the session is acting in (the district switcher changes it). */
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    mfaVerified: boolean('mfa_verified').notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** Bearer tokens for scripts and integrations; each acts as its user in one district. */

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** `read`: GET and HEAD requests only. `full`: whatever the owner's roles allow. */
    scope: text('scope', { enum: apiTokenScopes }).notNull().default('full'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** Required for tokens created since migration 0023; older tokens were given one year from creation. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_user').on(t.userId)],
);

/**
 * Sign-in attempts by e-mail and client address (both hashed, so unknown e-mails and addresses are
 * throttled without being stored). Failures lock an account only from the address they came from.
 */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    emailHash: text('email_hash').notNull(),
    addressHash: text('address_hash'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    succeeded: boolean('succeeded').notNull(),
  },
  (t) => [index('sign_in_attempts_email_at').on(t.emailHash, t.at)],
);

/** Single-use password reset links; only the token's SHA-256 is stored. */
export const passwordResets = pgTable('password_resets', {
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

import { bigint, boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sessions, users } from './accounts.ts';
import { districts } from './districts.ts';
import { tenantIsolation } from './tenancy.ts';

export const identityProviderPresets = ['google', 'entra', 'clever', 'classlink', 'generic'] as const;

/**
 * A district's OpenID Connect identity provider (Google Workspace, Microsoft Entra ID, Clever,
 * ClassLink or any compliant one). People whose verified e-mail is in `domains` sign in through
 * it. The client secret is encrypted with the server key. A provider never grants a role.
 */
export const identityProviders = pgTable(
  'identity_providers',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    label: text('label').notNull(),
    preset: text('preset', { enum: identityProviderPresets }).notNull().default('generic'),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    clientSecretEncrypted: text('client_secret_encrypted').notNull(),
    /** Lower-case e-mail domains whose people this provider signs in (home-realm discovery). */
    domains: text('domains').array().notNull(),
    /** The ID token claim holding the e-mail (`email`, or e.g. `upn` / `preferred_username` for Entra). */
    emailClaim: text('email_claim').notNull().default('email'),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
  },
  (t) => [index('identity_providers_district').on(t.districtId), tenantIsolation()],
);

/** A Haven user linked to their account at a provider (by the provider's stable `sub`). */
export const identityLinks = pgTable(
  'identity_links',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => identityProviders.id),
    subject: text('subject').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull(),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('identity_links_subject').on(t.providerId, t.subject), index('identity_links_user').on(t.userId), tenantIsolation()],
);

/**
 * Someone the provider vouched for whom Haven does not know: they get no access and no role, and
 * the district administrator sees them here to grant a role or dismiss.
 */
export const accessRequests = pgTable(
  'access_requests',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => identityProviders.id),
    subject: text('subject').notNull(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => users.id),
    outcome: text('outcome', { enum: ['granted', 'dismissed'] }),
  },
  (t) => [uniqueIndex('access_requests_subject').on(t.providerId, t.subject), index('access_requests_open').on(t.districtId, t.resolvedAt), tenantIsolation()],
);

/**
 * A Haven session started through a provider: it lasts no longer than the provider's tokens and is
 * refreshed against the provider; a failed refresh ends it. The refresh token is encrypted.
 */
export const ssoSessions = pgTable('sso_sessions', {
  sessionTokenHash: text('session_token_hash')
    .primaryKey()
    .references(() => sessions.tokenHash, { onDelete: 'cascade' }),
  providerId: uuid('provider_id')
    .notNull()
    .references(() => identityProviders.id),
  refreshTokenEncrypted: text('refresh_token_encrypted'),
  /** When the provider's tokens expire: the session is refreshed (or ended) then. */
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  /** The provider's sign-in counted as a second factor (its `amr`/`acr` said so). */
  providerMfa: boolean('provider_mfa').notNull(),
});

/** A WebAuthn passkey: counts as two factors. Only the public key is stored. */
export const passkeys = pgTable(
  'passkeys',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** base64url credential id from the authenticator. */
    credentialId: text('credential_id').notNull(),
    /** base64url COSE public key. */
    publicKey: text('public_key').notNull(),
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    transports: text('transports').array().notNull().default([]),
    backedUp: boolean('backed_up').notNull().default(false),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('passkeys_credential').on(t.credentialId), index('passkeys_user').on(t.userId)],
);

/** One-time challenges for WebAuthn and OIDC (state, nonce, PKCE verifier), short-lived. */
export const authChallenges = pgTable(
  'auth_challenges',
  {
    id: text('id').primaryKey(),
    purpose: text('purpose', { enum: ['passkey.register', 'passkey.sign_in', 'oidc'] }).notNull(),
    /** The challenge, or for OIDC the encrypted state/nonce/PKCE verifier bundle. */
    value: text('value').notNull(),
    userId: uuid('user_id').references(() => users.id),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('auth_challenges_expiry').on(t.expiresAt)],
);

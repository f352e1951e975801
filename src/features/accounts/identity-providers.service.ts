import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import * as oidc from 'openid-client';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { roleGrants, sessions, users } from '../../data/accounts.ts';
import { districts } from '../../data/districts.ts';
import { accessRequests, identityLinks, identityProviders, ssoSessions } from '../../data/sso.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { sha256 } from '../../platform/secrets.ts';
import { issuerAddressProblem } from './issuer-address.rules.ts';
import { domainOf, type IdentityProviderPreset, isLoopback, issuerProblem, parseDomains, presets } from './sso.rules.ts';

/**
 * A district's identity providers: added and removed by its administrator (District settings) or
 * the operator (`npx haven sso`). The client secret is encrypted with the server key and read only
 * on the system connection: the app role cannot select it (migration 0025).
 */

type AuditedBy = { userId: string | null; label: string };
const commandLine: AuditedBy = { userId: null, label: 'system: command line' };

/** The columns the app role may read: never the secret. */
export const providerColumns = {
  id: identityProviders.id,
  label: identityProviders.label,
  preset: identityProviders.preset,
  issuer: identityProviders.issuer,
  clientId: identityProviders.clientId,
  domains: identityProviders.domains,
  emailClaim: identityProviders.emailClaim,
  enabled: identityProviders.enabled,
  createdAt: identityProviders.createdAt,
};

export type NewProvider = {
  preset?: IdentityProviderPreset | undefined;
  label?: string | undefined;
  issuer: string;
  clientId: string;
  clientSecret: string;
  domains: string | readonly string[];
  emailClaim?: string | undefined;
};

function requireConfigure(actor: Actor) {
  if (!can(actor, 'district.configure', null)) throw notFound('District settings');
}

/** The address providers send people back to; registered at the provider as the redirect URI. */
export function redirectUri(deps: Pick<Deps, 'settings'>): string {
  return `${deps.settings.publicUrl}/api/v1/auth/sso/callback`;
}

/** Checks and normalizes what an administrator typed; every problem is a plain sentence. */
function validated(input: NewProvider) {
  const preset = input.preset ?? 'generic';
  const info = presets[preset];
  const issuer = (input.issuer || info.issuer || '').trim().replace(/\/+$/, '');
  const problem = issuerProblem(issuer);
  if (problem) throw badRequest(problem, { code: 'sso.issuer' });
  if (!input.clientId.trim())
    throw badRequest('Enter the client id the provider gave Haven.', { code: 'sso.client_id', es: 'Escriba el client id que el proveedor le dio a Haven.' });
  if (!input.clientSecret.trim())
    throw badRequest('Enter the client secret the provider gave Haven.', {
      code: 'sso.client_secret',
      es: 'Escriba el client secret que el proveedor le dio a Haven.',
    });
  const { domains, problem: domainProblem } = parseDomains(input.domains);
  if (domainProblem) throw badRequest(domainProblem, { code: 'sso.domains' });
  const emailClaim = (input.emailClaim || info.emailClaim).trim();
  if (!/^[A-Za-z_][\w.:-]{0,63}$/.test(emailClaim))
    throw badRequest('The e-mail claim is a claim name such as email or preferred_username.', {
      code: 'sso.email_claim',
      es: 'El claim del correo es el nombre de un claim, como email o preferred_username.',
    });
  return {
    preset,
    issuer,
    domains,
    emailClaim,
    label: input.label?.trim() || info.label,
    clientId: input.clientId.trim(),
    clientSecret: input.clientSecret.trim(),
  };
}

/** Adds a provider for a district (by its administrator, or the operator). Another district's domain is refused. */
export async function insertProvider(deps: Deps, districtId: string, input: NewProvider, by: AuditedBy) {
  const provider = validated(input);
  const unreachable = await issuerNetworkProblem(deps, provider.issuer);
  if (unreachable) throw badRequest(unreachable, { code: 'sso.issuer' });
  // A domain belongs to one district: otherwise home-realm discovery could send a district's
  // people to another district's provider.
  const taken = await deps.db.system
    .select({ domains: identityProviders.domains, districtId: identityProviders.districtId })
    .from(identityProviders)
    .where(sql`${identityProviders.domains} && ${sql.param(provider.domains)}::text[] and ${identityProviders.districtId} <> ${districtId}`);
  if (taken.length > 0) {
    const clash = provider.domains.find((d) => taken.some((t) => t.domains.includes(d)));
    throw badRequest(`The domain ${clash} already signs in through another district's provider.`, {
      code: 'sso.domain_taken',
      es: `El dominio ${clash} ya inicia sesión con el proveedor de otro distrito.`,
    });
  }
  const id = deps.ids.uuid();
  await deps.db.system.transaction(async (tx) => {
    await tx.insert(identityProviders).values({
      id,
      districtId,
      label: provider.label,
      preset: provider.preset,
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecretEncrypted: deps.secrets.encrypt(provider.clientSecret),
      domains: provider.domains,
      emailClaim: provider.emailClaim,
      createdAt: deps.clock.now(),
      createdBy: by.userId,
    });
    await deps.audit.append(tx, districtId, by, {
      action: 'sso.provider_added',
      subjectType: 'identity_provider',
      subjectId: id,
      detail: { label: provider.label, issuer: provider.issuer, domains: provider.domains, emailClaim: provider.emailClaim },
    });
  });
  return {
    id,
    label: provider.label,
    preset: provider.preset,
    issuer: provider.issuer,
    clientId: provider.clientId,
    domains: provider.domains,
    emailClaim: provider.emailClaim,
  };
}

export async function addProvider(deps: Deps, actor: Actor, input: NewProvider) {
  requireConfigure(actor);
  return insertProvider(deps, actor.districtId, input, auditActor(actor));
}

export async function addProviderFromCommandLine(deps: Deps, districtId: string, input: NewProvider) {
  return insertProvider(deps, districtId, input, commandLine);
}

/** The district's providers, as its administrator sees them (never the secret). */
export async function listProviders(deps: Deps, actor: Actor) {
  requireConfigure(actor);
  return withTenant(deps.db.app, actor, (tx) => tx.select(providerColumns).from(identityProviders).orderBy(asc(identityProviders.createdAt)));
}

/**
 * Removes a provider: its links and open access requests go with it, and every session started
 * through it ends now (its people sign in another way, or not at all).
 */
export async function deleteProvider(deps: Deps, districtId: string, providerId: string, by: AuditedBy) {
  if (!isUuid(providerId)) throw notFound('That identity provider');
  await deps.db.system.transaction(async (tx) => {
    const [provider] = await tx
      .select({ id: identityProviders.id, label: identityProviders.label })
      .from(identityProviders)
      .where(and(eq(identityProviders.id, providerId), eq(identityProviders.districtId, districtId)));
    if (!provider) throw notFound('That identity provider');
    const ended = await tx.select({ tokenHash: ssoSessions.sessionTokenHash }).from(ssoSessions).where(eq(ssoSessions.providerId, providerId));
    if (ended.length > 0)
      await tx.delete(sessions).where(
        inArray(
          sessions.tokenHash,
          ended.map((e) => e.tokenHash),
        ),
      );
    await tx.delete(identityLinks).where(eq(identityLinks.providerId, providerId));
    await tx.delete(accessRequests).where(eq(accessRequests.providerId, providerId));
    await tx.delete(identityProviders).where(eq(identityProviders.id, providerId));
    await deps.audit.append(tx, districtId, by, {
      action: 'sso.provider_removed',
      subjectType: 'identity_provider',
      subjectId: providerId,
      detail: { label: provider.label, sessionsEnded: ended.length },
    });
  });
}

export async function removeProvider(deps: Deps, actor: Actor, providerId: string) {
  requireConfigure(actor);
  await deleteProvider(deps, actor.districtId, providerId, auditActor(actor));
}

/** Every provider, for `haven sso list` (the operator's view). */
export async function listAllProviders(deps: Deps, districtId?: string) {
  return deps.db.system
    .select({ ...providerColumns, district: districts.slug })
    .from(identityProviders)
    .innerJoin(districts, eq(districts.id, identityProviders.districtId))
    .where(districtId ? eq(identityProviders.districtId, districtId) : undefined)
    .orderBy(asc(districts.slug), asc(identityProviders.createdAt));
}

/** A provider with its secret, for the sign-in flow only (system connection). */
export async function providerForSignIn(deps: Deps, providerId: string) {
  if (!isUuid(providerId)) return undefined;
  const [row] = await deps.db.system
    .select({
      ...providerColumns,
      districtId: identityProviders.districtId,
      clientSecretEncrypted: identityProviders.clientSecretEncrypted,
      districtSlug: districts.slug,
      districtName: districts.name,
    })
    .from(identityProviders)
    .innerJoin(districts, eq(districts.id, identityProviders.districtId))
    .where(eq(identityProviders.id, providerId));
  return row;
}
export type ProviderForSignIn = NonNullable<Awaited<ReturnType<typeof providerForSignIn>>>;

const discoveryCache = new Map<string, { at: number; config: oidc.Configuration }>();
const discoveryTtlMs = 10 * 60_000;

/**
 * The provider's OpenID configuration from its discovery document, kept ten minutes per process.
 * The client authenticates with HTTP Basic unless the provider only takes the secret in the body.
 */
export async function providerConfiguration(provider: { issuer: string; clientId: string; clientSecret: string }): Promise<oidc.Configuration> {
  const key = sha256(`${provider.issuer}|${provider.clientId}|${provider.clientSecret}`);
  const cached = discoveryCache.get(key);
  if (cached && Date.now() - cached.at < discoveryTtlMs) return cached.config;
  const insecure = new URL(provider.issuer).protocol === 'http:' && isLoopback(new URL(provider.issuer).hostname);
  const options = { timeout: 10, ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}) };
  const found = await oidc.discovery(new URL(provider.issuer), provider.clientId, undefined, undefined, options);
  const methods = found.serverMetadata().token_endpoint_auth_methods_supported;
  const auth =
    !methods || methods.includes('client_secret_basic') ? oidc.ClientSecretBasic(provider.clientSecret) : oidc.ClientSecretPost(provider.clientSecret);
  const config = new oidc.Configuration(found.serverMetadata(), provider.clientId, undefined, auth);
  if (insecure) oidc.allowInsecureRequests(config);
  discoveryCache.set(key, { at: Date.now(), config });
  return config;
}

/**
 * Refuses an issuer whose host resolves to this machine or a private network unless the operator
 * allows it (issuer-address.rules.ts). Checked when the provider is tested and when it is saved;
 * a host that later resolves elsewhere is not caught here (the connection is the provider's own
 * TLS name then, so a public certificate is still needed for https).
 */
async function issuerNetworkProblem(deps: Pick<Deps, 'settings'>, issuer: string): Promise<string | null> {
  if (deps.settings.ssoPrivateIssuers) return null;
  const host = new URL(issuer).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return issuerAddressProblem(host, [host]);
  const found = await lookup(host, { all: true, verbatim: true }).catch(() => []);
  return issuerAddressProblem(
    host,
    found.map((a) => a.address),
  );
}

/**
 * "Test this connection": fetches the issuer's discovery document and says in plain words what
 * Haven found, or why it could not (nothing is stored).
 */
export async function testIssuer(deps: Deps, actor: Actor, issuer: string) {
  requireConfigure(actor);
  const trimmed = issuer.trim().replace(/\/+$/, '');
  const problem = issuerProblem(trimmed) ?? (await issuerNetworkProblem(deps, trimmed));
  if (problem) return { ok: false as const, detail: problem };
  try {
    const config = await providerConfiguration({ issuer: trimmed, clientId: 'haven-connection-test', clientSecret: 'unused' });
    const metadata = config.serverMetadata();
    const pkce = metadata.code_challenge_methods_supported;
    return {
      ok: true as const,
      detail: `Found ${metadata.issuer}: sign-in at ${metadata.authorization_endpoint}${pkce && !pkce.includes('S256') ? ' (it does not list PKCE S256 support)' : ''}.`,
      redirectUri: redirectUri(deps),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'no answer';
    return { ok: false as const, detail: `Haven could not read ${trimmed}/.well-known/openid-configuration: ${reason}` };
  }
}

/** Home-realm discovery: the enabled providers that sign in people with this e-mail's domain. */
export async function providersForEmail(deps: Deps, email: string) {
  const domain = domainOf(email);
  if (!domain) return [];
  return deps.db.system
    .select({ id: identityProviders.id, label: identityProviders.label, district: districts.name, ssoRequired: districts.ssoRequired })
    .from(identityProviders)
    .innerJoin(districts, eq(districts.id, identityProviders.districtId))
    .where(and(eq(identityProviders.enabled, true), sql`${domain} = any(${identityProviders.domains})`));
}

/** A district's sign-in link (`/sign-in/<slug>`): its name and enabled providers. */
export async function providersForDistrict(deps: Deps, slug: string) {
  const [district] = await deps.db.system
    .select({ id: districts.id, name: districts.name, slug: districts.slug, ssoRequired: districts.ssoRequired })
    .from(districts)
    .where(eq(districts.slug, slug.toLowerCase()));
  if (!district) throw notFound('That district');
  const providers = await deps.db.system
    .select({ id: identityProviders.id, label: identityProviders.label })
    .from(identityProviders)
    .where(and(eq(identityProviders.districtId, district.id), eq(identityProviders.enabled, true)))
    .orderBy(asc(identityProviders.createdAt));
  return { district: { name: district.name, slug: district.slug, ssoRequired: district.ssoRequired }, providers };
}

/** Single sign-on settings and who may be named break-glass (the district's active, district-wide administrators). */
export async function ssoSettings(deps: Deps, actor: Actor) {
  requireConfigure(actor);
  return withTenant(deps.db.app, actor, async (tx) => {
    const [district] = await tx
      .select({ ssoRequired: districts.ssoRequired, breakGlassUserIds: districts.ssoBreakGlassUserIds })
      .from(districts)
      .where(eq(districts.id, actor.districtId));
    if (!district) throw notFound('District settings');
    const administrators = await tx
      .selectDistinct({ id: users.id, displayName: users.displayName, email: users.email })
      .from(roleGrants)
      .innerJoin(users, eq(users.id, roleGrants.userId))
      .where(and(eq(roleGrants.role, 'district_admin'), isNull(roleGrants.schoolId), isNull(users.disabledAt)));
    const providers = await tx.select(providerColumns).from(identityProviders).orderBy(asc(identityProviders.createdAt));
    return { ...district, administrators, providers, redirectUri: redirectUri(deps) };
  });
}

/**
 * Turns "SSO required" on or off and names the break-glass administrators. Turning it on needs an
 * enabled provider and at least one break-glass administrator, so the district cannot lock
 * everyone out when its provider is down.
 */
export async function changeSsoSettings(deps: Deps, actor: Actor, change: { ssoRequired: boolean; breakGlassUserIds: string[] }) {
  requireConfigure(actor);
  return withTenant(deps.db.app, actor, async (tx) => {
    const ids = [...new Set(change.breakGlassUserIds)];
    const admins = await tx
      .selectDistinct({ id: roleGrants.userId })
      .from(roleGrants)
      .where(and(eq(roleGrants.role, 'district_admin'), isNull(roleGrants.schoolId)));
    const adminIds = new Set(admins.map((a) => a.id));
    if (ids.some((id) => !adminIds.has(id)))
      throw badRequest('Only district administrators can be named for break-glass sign-in.', {
        code: 'sso.break_glass_not_admin',
        es: 'Solo se puede nombrar a personas administradoras del distrito para el acceso de emergencia.',
      });
    if (change.ssoRequired) {
      const [provider] = await tx.select({ id: identityProviders.id }).from(identityProviders).where(eq(identityProviders.enabled, true)).limit(1);
      if (!provider)
        throw badRequest('Add an identity provider before requiring single sign-on.', {
          code: 'sso.no_provider',
          es: 'Agregue un proveedor de identidad antes de exigir el inicio de sesión único.',
        });
      if (ids.length === 0)
        throw badRequest('Name at least one district administrator who may still sign in with a password and two-step sign-in, in case the provider is down.', {
          code: 'sso.no_break_glass',
          es: 'Nombre al menos a una persona administradora del distrito que pueda seguir entrando con contraseña y verificación en dos pasos, por si el proveedor falla.',
        });
    }
    await tx.update(districts).set({ ssoRequired: change.ssoRequired, ssoBreakGlassUserIds: ids }).where(eq(districts.id, actor.districtId));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'sso.settings_changed',
      subjectType: 'district',
      subjectId: actor.districtId,
      detail: { ssoRequired: change.ssoRequired, breakGlassUserIds: ids },
    });
    return { ssoRequired: change.ssoRequired, breakGlassUserIds: ids };
  });
}

import { z } from 'zod';
import { roles } from '../../access/roles.ts';
import { identityProviderPresets } from '../../data/sso.ts';
import { inSpanish } from '../../platform/errors.text.ts';
import { sentMoment } from '../../platform/sent-moment.ts';
import { grantableRoles } from './sso.rules.ts';

// Requests and answers of the single sign-on routes. Each answer is serialized through its schema,
// so a field left out here is never sent (a provider's client secret is in none); the web app reads
// these types (z.input: the wire form, moments as ISO 8601 strings).

export const idParams = z.object({ id: z.string().max(64) });
export const slugParams = z.object({ slug: z.string().max(64) });
export const discoverQuery = z.object({ email: z.string().max(320).default('') });
export const startQuery = z.object({ email: z.string().max(320).optional(), return: z.string().max(500).optional() });

export const newProvider = z
  .object({
    preset: z
      .enum(identityProviderPresets, 'Choose Google Workspace, Microsoft Entra ID, Clever, ClassLink or another OpenID Connect provider.')
      .default('generic'),
    label: z
      .string()
      .trim()
      .max(100, inSpanish('Keep the name to 100 characters.', 'Use como máximo 100 caracteres para el nombre.', 'name_too_long'))
      .optional(),
    issuer: z
      .string()
      .trim()
      .max(500, inSpanish('The issuer is at most 500 characters.', 'El issuer tiene como máximo 500 caracteres.', 'sso.issuer'))
      .default(''),
    clientId: z
      .string()
      .trim()
      .min(1, inSpanish('Enter the client id the provider gave Haven.', 'Escriba el client id que el proveedor le dio a Haven.', 'sso.client_id'))
      .max(500),
    clientSecret: z
      .string()
      .trim()
      .min(1, inSpanish('Enter the client secret the provider gave Haven.', 'Escriba el client secret que el proveedor le dio a Haven.', 'sso.client_secret'))
      .max(2000),
    domains: z.union([z.string().max(2000), z.array(z.string().max(253)).max(50)]),
    emailClaim: z.string().trim().max(64).optional(),
  })
  .strict();
export const ssoSettingsInput = z
  .object({ ssoRequired: z.boolean('ssoRequired is true or false'), breakGlassUserIds: z.array(z.uuid('choose administrators from the list')).max(50) })
  .strict();
export const issuerInput = z
  .object({
    issuer: z
      .string()
      .trim()
      .min(1, inSpanish('Enter the issuer address.', 'Escriba la dirección del issuer.', 'sso.issuer'))
      .max(500),
  })
  .strict();
export const grantInput = z.object({ role: z.enum(grantableRoles, 'Choose a role.'), schoolId: z.string().max(64).nullish() }).strict();
export const invitationInput = z.object({ confirm: z.literal(true, 'Confirm the invitation.') }).strict();

/** A redirect: the browser goes on to the Location header (303, no body). */
export const redirect = z.undefined().describe('A redirect (303 See Other) to the Location header');

/** Home-realm discovery: the providers that sign in this e-mail's domain, and whether its district turned passwords off. */
export const discovery = z.object({ providers: z.array(z.object({ id: z.string(), label: z.string(), district: z.string() })), ssoRequired: z.boolean() });
export type Discovery = z.input<typeof discovery>;

/** A district's sign-in link (/sign-in/<slug>): its name and providers. */
export const districtSignIn = z.object({
  district: z.object({ name: z.string(), slug: z.string(), ssoRequired: z.boolean() }),
  providers: z.array(z.object({ id: z.string(), label: z.string() })),
});
export type DistrictSignIn = z.input<typeof districtSignIn>;

const provider = z.object({
  id: z.string(),
  label: z.string(),
  preset: z.enum(identityProviderPresets),
  issuer: z.string(),
  clientId: z.string(),
  domains: z.array(z.string()),
  emailClaim: z.string(),
});
export const providerAdded = provider;

/** The district's providers (never a secret), "SSO required", who may be named break-glass, and the presets to choose from. */
export const ssoView = z.object({
  ssoRequired: z.boolean(),
  breakGlassUserIds: z.array(z.string()),
  administrators: z.array(z.object({ id: z.string(), displayName: z.string(), email: z.string() })),
  providers: z.array(provider.extend({ enabled: z.boolean(), createdAt: sentMoment })),
  redirectUri: z.string(),
  presets: z.array(
    z.object({
      id: z.enum(identityProviderPresets),
      label: z.string(),
      issuerShape: z.string(),
      issuer: z.string().nullable(),
      emailClaim: z.string(),
      notes: z.string(),
    }),
  ),
});
export type SsoView = z.input<typeof ssoView>;

export const ssoSettingsView = z.object({ ssoRequired: z.boolean(), breakGlassUserIds: z.array(z.string()) });

/** "Test this connection": what Haven found at the issuer, or why it could not read it. */
export const issuerTest = z.object({ ok: z.boolean(), detail: z.string(), redirectUri: z.string().optional() });
export type IssuerTest = z.input<typeof issuerTest>;

/** People who signed in through the provider and wait for a role, newest first. */
export const accessRequestList = z.array(
  z.object({ id: z.string(), email: z.string(), displayName: z.string(), requestedAt: sentMoment, provider: z.string() }),
);
export type AccessRequestList = z.input<typeof accessRequestList>;

/** Staff on the roster with no Haven access yet, with the role the roster suggests. */
export const rosterInvitationList = z.array(
  z.object({
    id: z.string(),
    givenName: z.string(),
    familyName: z.string(),
    email: z.string().nullable(),
    rosterRole: z.string(),
    offeredRole: z.enum(roles).nullable(),
    school: z.string().nullable(),
  }),
);
export type RosterInvitationList = z.input<typeof rosterInvitationList>;

/** The account that now has access. */
export const accountGranted = z.object({ userId: z.string(), email: z.string() });

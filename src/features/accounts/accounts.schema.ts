import { z } from 'zod';
import { roles } from '../../access/roles.ts';
import { inSpanish } from '../../platform/errors.text.ts';
import { sentMoment } from '../../platform/sent-moment.ts';
import { apiTokenScopes } from './accounts.rules.ts';

// Requests and answers of the sign-in, session, two-step and API token routes (accounts.routes.ts).

export const loginBody = z.object({
  email: z
    .string()
    .trim()
    .min(3, inSpanish('enter your e-mail address', 'escriba su dirección de correo electrónico', 'email_required'))
    .max(320),
  password: z
    .string()
    .min(1, inSpanish('enter your password', 'escriba su contraseña', 'password_required'))
    .max(1024),
  otp: z.string().trim().max(32).optional(),
});

export const emailBody = z.object({
  email: z
    .string()
    .trim()
    .min(3, inSpanish('enter your e-mail address', 'escriba su dirección de correo electrónico', 'email_required'))
    .max(320),
});

export const resetCompleteBody = z.object({
  token: z
    .string()
    .min(10, inSpanish('the link is incomplete', 'el enlace está incompleto', 'link_incomplete'))
    .max(200),
  password: z
    .string()
    .min(1, inSpanish('choose a password', 'elija una contraseña', 'password_required'))
    .max(1024),
});

export const changePasswordBody = z.object({
  currentPassword: z
    .string()
    .min(1, inSpanish('enter your current password', 'escriba su contraseña actual', 'current_password_required'))
    .max(1024),
  newPassword: z
    .string()
    .min(1, inSpanish('choose a new password', 'elija una contraseña nueva', 'new_password_required'))
    .max(1024),
});

export const codeBody = z.object({
  code: z
    .string()
    .trim()
    .min(6, inSpanish('enter the 6-digit code', 'escriba el código de 6 dígitos', 'mfa_code_required'))
    .max(32),
});
export const switchDistrictBody = z.object({ districtId: z.uuid('choose a district') });
/**
 * A new API token: what it is for, what it may do, how many days it lives (the page offers 30, 90
 * and 365; there is no "never"), and the password again, or a current authenticator code.
 */
export const tokenBody = z.object({
  name: z
    .string()
    .trim()
    .min(1, inSpanish('Give the token a name.', 'Dé un nombre al token.', 'api_token_name'))
    .max(100, inSpanish('Keep the token name to 100 characters.', 'Use como máximo 100 caracteres para el nombre del token.', 'api_token_name')),
  scope: z.enum(apiTokenScopes, 'Choose what the token may do: "read" (look only) or "full" (everything your roles allow).'),
  days: z
    .number('Choose how many days the token lasts, for example 30, 90 or 365.')
    .int(inSpanish('Choose a whole number of days.', 'Elija un número entero de días.', 'api_token_days')),
  password: z.string().max(1024).optional(),
  code: z.string().trim().max(32).optional(),
});

/** The password again, when replacing an authenticator the person already has. */
export const mfaEnrolmentBody = z.object({ password: z.string().max(1000).optional() }).nullish();

// Answers. Each route serializes through its schema, so a field left out here is never sent; the
// web app reads these types (z.input: the wire form, moments as ISO 8601 strings).

/** Nothing to send: the change is made (204, no body). */
export const noContent = z.undefined().describe('Done; nothing to send');

/** A token as its owner sees it: name, what it may do, its dates; never the token itself. */
export const tokenView = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(apiTokenScopes),
  createdAt: sentMoment,
  expiresAt: sentMoment,
  expired: z.boolean(),
  lastUsedAt: sentMoment.nullable(),
});
export const tokenList = z.object({ items: z.array(tokenView) });
export type ApiToken = z.input<typeof tokenView>;

/** A new token, with the token itself: the only time it is ever shown. */
export const createdTokenResponse = z.object({ id: z.string(), name: z.string(), scope: z.enum(apiTokenScopes), expiresAt: sentMoment, token: z.string() });
export type CreatedApiToken = z.input<typeof createdTokenResponse>;

export const idParams = z.object({ id: z.string().max(64) });

/** How many sessions of the account were ended. */
export const endedSessions = z.object({ sessionsEnded: z.number() });
/** The same words whether or not the address has an account. */
export const resetRequested = z.object({ message: z.string() });
export type ResetRequested = z.input<typeof resetRequested>;

/** A new authenticator's secret, as text, as an otpauth:// link and as a QR code (SVG). */
export const mfaEnrolment = z.object({ secret: z.string(), uri: z.string(), qrSvg: z.string() });
export type MfaEnrolment = z.input<typeof mfaEnrolment>;
/** Ten single-use recovery codes, shown this once. */
export const recoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
export type RecoveryCodes = z.input<typeof recoveryCodes>;

const school = z.object({ id: z.string(), code: z.string(), name: z.string(), level: z.string() });

/** Who is signed in, where, with which roles, and what they may do (the web app draws itself from it). */
export const meResponse = z.object({
  user: z.object({ id: z.string(), email: z.string(), displayName: z.string(), preferredLanguage: z.string(), mfaEnrolled: z.boolean() }),
  district: z.object({ id: z.string(), slug: z.string(), name: z.string(), timeZone: z.string(), mfaRequired: z.boolean() }).nullable(),
  districts: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string() })),
  roles: z.array(z.object({ role: z.enum(roles), schoolId: z.string().nullable(), schoolName: z.string().nullable() })),
  schools: z.array(school),
  abilities: z.object({
    searchStudents: z.boolean(),
    configureDistrict: z.boolean(),
    submitReports: z.boolean(),
    handleReports: z.boolean(),
    screening: z.boolean(),
    manageScreening: z.boolean(),
    /** A window's counts (its dashboard); a proctor who is only a teacher sees the roster alone. */
    screeningDashboard: z.boolean(),
    /** The follow-up queue of positive screens (people who may read results); a teacher proctor may not. */
    screeningFollowUps: z.boolean(),
    cases: z.boolean(),
    support: z.boolean(),
    partners: z.boolean(),
    leadership: z.boolean(),
  }),
  mfaPending: z.boolean(),
  csrfToken: z.string().nullable(),
});
export type Me = z.input<typeof meResponse>;

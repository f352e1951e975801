import { z } from 'zod';
import { roles } from '../../access/roles.ts';
import { apiTokenScopes } from './accounts.rules.ts';

export const loginBody = z.object({
  email: z.string().trim().min(3, 'enter your e-mail address').max(320),
  password: z.string().min(1, 'enter your password').max(1024),
  otp: z.string().trim().max(32).optional(),
});

export const emailBody = z.object({ email: z.string().trim().min(3, 'enter your e-mail address').max(320) });

export const resetCompleteBody = z.object({
  token: z.string().min(10, 'the link is incomplete').max(200),
  password: z.string().min(1, 'choose a password').max(1024),
});

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1, 'enter your current password').max(1024),
  newPassword: z.string().min(1, 'choose a new password').max(1024),
});

export const codeBody = z.object({ code: z.string().trim().min(6, 'enter the 6-digit code').max(32) });
export const switchDistrictBody = z.object({ districtId: z.uuid('choose a district') });
/**
 * A new API token: what it is for, what it may do, how many days it lives (the page offers 30, 90
 * and 365; there is no "never"), and the password again, or a current authenticator code.
 */
export const tokenBody = z.object({
  name: z.string().trim().min(1, 'Give the token a name.').max(100, 'Keep the token name to 100 characters.'),
  scope: z.enum(apiTokenScopes, 'Choose what the token may do: "read" (look only) or "full" (everything your roles allow).'),
  days: z.number('Choose how many days the token lasts, for example 30, 90 or 365.').int('Choose a whole number of days.'),
  password: z.string().max(1024).optional(),
  code: z.string().trim().max(32).optional(),
});

export const tokenView = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(apiTokenScopes),
  createdAt: z.date(),
  expiresAt: z.date(),
  expired: z.boolean(),
  lastUsedAt: z.date().nullable(),
});

export const createdTokenResponse = z.object({ id: z.string(), name: z.string(), scope: z.enum(apiTokenScopes), expiresAt: z.date(), token: z.string() });
export const idParams = z.object({ id: z.string().max(64) });

const school = z.object({ id: z.string(), code: z.string(), name: z.string(), level: z.string() });

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
    cases: z.boolean(),
    support: z.boolean(),
    partners: z.boolean(),
    leadership: z.boolean(),
  }),
  mfaPending: z.boolean(),
  csrfToken: z.string().nullable(),
});

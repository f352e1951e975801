import type { Role } from './roles.ts';

/** One role a person holds in the district they are acting in; schoolId NULL = district-wide. */
export type Grant = {
  role: Role;
  schoolId: string | null;
  partnerOrganizationId: string | null;
};

/** Who is asking: resolved once per request from a session or an API token. */
export type Actor = {
  userId: string;
  districtId: string;
  displayName: string;
  email: string;
  grants: readonly Grant[];
  /** True when this sign-in passed a second factor. */
  mfaVerified: boolean;
  via: 'session' | 'token';
};

/** How the actor is named in audit events and access logs. */
export function actorLabel(actor: Actor): string {
  const roles = [...new Set(actor.grants.map((grant) => grant.role))].join(', ');
  return roles ? `${actor.displayName} (${roles})` : actor.displayName;
}

/** The actor as audit events record them: who, and in what roles. */
export function auditActor(actor: Actor) {
  return { userId: actor.userId, label: actorLabel(actor) };
}

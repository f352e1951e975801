import type { Credentials } from '../../access/authenticate.ts';
import type { Deps } from '../../platform/deps.ts';
import { apiTokenAllows } from './accounts.rules.ts';
import { readOnlyTokenProblem, resolveApiToken } from './api-tokens.service.ts';
import { resolveSession } from './sessions.service.ts';

/** Sessions and API tokens as access's authentication hook reads them (src/access/authenticate.ts). */
export function credentialsOf(deps: Deps): Credentials {
  return {
    session: (token) => resolveSession(deps, token),
    async bearer(token, method) {
      const resolved = await resolveApiToken(deps, token);
      if (!resolved.ok) return { ok: false, problem: resolved.problem, onPublicRoutes: false };
      // A read-only token never changes anything, on any route, whatever its owner's roles allow.
      if (!apiTokenAllows(resolved.scope, method)) return { ok: false, problem: readOnlyTokenProblem(), onPublicRoutes: true };
      return { ok: true, actor: resolved.actor };
    },
  };
}

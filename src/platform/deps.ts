import type { Audit } from './audit/audit.ts';
import type { Clock } from './clock.ts';
import type { Databases } from './db/client.ts';
import type { Ids } from './ids.ts';
import type { Mailer } from './mail/mailer.ts';
import type { Secrets } from './secrets.ts';

/**
 * What use cases are given. Passed explicitly from `buildApp` (or the CLI) down to services;
 * there is no service locator and no ambient request context.
 */
export type Deps = {
  db: Databases;
  clock: Clock;
  ids: Ids;
  secrets: Secrets;
  audit: Audit;
  mailer: Mailer;
  settings: {
    publicUrl: string;
    sessionIdleMinutes: number;
    sessionMaxHours: number;
  };
};

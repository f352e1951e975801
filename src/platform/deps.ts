import type { Audit } from './audit/audit.ts';
import type { Clock } from './clock.ts';
import type { Databases } from './db/client.ts';
import type { Ids } from './ids.ts';
import type { Mailer } from './mail/mailer.ts';
import type { LiveAlerts } from './notify/live.ts';
import type { SmsSender } from './notify/sms.ts';
import type { ProcessState } from './process-state.ts';
import type { Secrets } from './secrets.ts';
import type { Spool } from './spool.ts';

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
  sms: SmsSender;
  live: LiveAlerts;
  /** Reports that could not reach the database wait here (fsynced) until it returns. */
  reportSpool: Spool;
  /** Caches and counters kept between requests, each feature's in its own slot (process-state.ts). */
  state: ProcessState;
  settings: {
    publicUrl: string;
    sessionIdleMinutes: number;
    sessionMaxHours: number;
    /** Verifies the SMS provider's webhook signatures; unset = the SMS channel is off. */
    smsAuthToken: string | undefined;
    /** Told when a text or e-mail reaches a number or address no district owns; unset = only `haven channel held` shows it. */
    operatorEmail?: string | undefined;
    /** Identity providers may resolve to private or local addresses (HAVEN_SSO_PRIVATE_ISSUERS). */
    ssoPrivateIssuers?: boolean | undefined;
    /** False when `haven worker` processes route reports (HAVEN_WORKER=separate): intake then always queues. */
    routeInline?: boolean | undefined;
  };
};

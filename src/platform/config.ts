import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * Haven is configured only through environment variables, validated once at start so that a
 * mistake stops the process with a message naming the variable instead of failing later.
 * The README's configuration table lists the same variables; keep the two in step.
 */
/** An IPv4 or IPv6 address, optionally with a /prefix. */
function isAddressOrRange(value: string): boolean {
  const [address = '', prefix, extra] = value.split('/');
  if (extra !== undefined) return false;
  const version = isIP(address);
  if (version === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
    message: 'must be one of 1, 0, true, false, yes, no, on, off',
  })
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number({ message: 'must be a number' }).int().min(0).max(65535, 'must be a TCP port (0-65535)').default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  HAVEN_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  HAVEN_APP_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  HAVEN_MAINTENANCE_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  HAVEN_DEMO: booleanFlag.optional(),
  HAVEN_DEMO_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  HAVEN_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'must be 64 hexadecimal characters (32 bytes); try `openssl rand -hex 32`')
    .optional(),
  HAVEN_PUBLIC_URL: z.string().url('must be a full URL such as https://haven.example.org').optional(),
  HAVEN_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(30),
  HAVEN_SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(12),
  HAVEN_TRUST_PROXY: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const entries = value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      if (entries.some((v) => ['true', '1', 'yes', 'on'].includes(v.toLowerCase()))) {
        ctx.addIssue({
          code: 'custom',
          message:
            'trusting every proxy would let anyone forge their address; write the proxy addresses or ranges instead, e.g. HAVEN_TRUST_PROXY=10.0.0.0/8,127.0.0.1',
        });
        return z.NEVER;
      }
      if (entries.some((v) => ['false', '0', 'no', 'off'].includes(v.toLowerCase()))) return [];
      const bad = entries.filter((v) => !isAddressOrRange(v));
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `${bad.join(', ')} is not an IP address or CIDR range (e.g. 10.0.0.0/8, 127.0.0.1, ::1)` });
        return z.NEVER;
      }
      return entries;
    }),
  HAVEN_INTAKE_PER_MINUTE: z.coerce
    .number({ message: 'must be a number' })
    .int()
    .min(1, 'must be at least 1')
    .max(1_000_000, 'must be at most 1000000')
    .default(120),
  HAVEN_SIGN_IN_PER_MINUTE: z.coerce
    .number({ message: 'must be a number' })
    .int()
    .min(1, 'must be at least 1')
    .max(1_000_000, 'must be at most 1000000')
    .default(20),
  HAVEN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  SMTP_FROM: z.string().min(3).default('Haven <no-reply@haven.invalid>'),
  HAVEN_SMTP_INTAKE_PORT: z.coerce.number({ message: 'must be a number' }).int().min(1).max(65535).optional(),
  HAVEN_SMTP_TLS_CERT: z.string().min(1).optional(),
  HAVEN_SMTP_TLS_KEY: z.string().min(1).optional(),
  HAVEN_SSO_PRIVATE_ISSUERS: booleanFlag.optional(),
  HAVEN_WORKER: z.enum(['inline', 'separate'], { message: 'must be inline or separate' }).default('inline'),
  HAVEN_OPERATOR_EMAIL: z.string().email('must be an e-mail address, e.g. operator@haven.example.org').optional(),
  HAVEN_SMS_API_URL: z.string().url("must be the full URL of the provider's messages endpoint").optional(),
  HAVEN_VOICE_API_URL: z.string().url("must be the full URL of the provider's calls endpoint").optional(),
  HAVEN_SMS_ACCOUNT: z.string().min(1).optional(),
  HAVEN_SMS_AUTH_TOKEN: z.string().min(8, 'must be the provider auth token').optional(),
  HAVEN_SMS_FROM: z.string().min(3).optional(),
});

export type Config = {
  environment: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  /** Unset means: run the embedded PostgreSQL under the data directory. */
  databaseUrl: string | undefined;
  /** Connection for the non-owner role the app uses; derived from databaseUrl when unset. */
  appDatabaseUrl: string | undefined;
  /** Connection for `haven_maintenance` (BYPASSRLS, not the owner); derived from databaseUrl when unset. */
  maintenanceDatabaseUrl: string | undefined;
  demo: boolean;
  demoPassword: string | undefined;
  secretKeyHex: string | undefined;
  publicUrl: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  logLevel: string;
  /**
   * The proxies (addresses or CIDR ranges) whose X-Forwarded-* headers are believed: the client is
   * the first address from the right of X-Forwarded-For that is not one of them. Empty: none.
   */
  trustProxy: string[];
  /** Sign-in and reset requests allowed per client address per minute. */
  signInPerMinute: number;
  /** Reports accepted per client address per minute on the public intake (a school on one NAT address sends many). */
  intakePerMinute: number;
  smtpUrl: string | undefined;
  smtpFrom: string;
  /** Port of the built-in SMTP listener that turns e-mail into reports; unset = off. */
  smtpIntakePort: number | undefined;
  /** PEM files (paths) of the SMTP listener's certificate and key: set both to offer STARTTLS. */
  smtpTls: { certFile: string; keyFile: string } | undefined;
  /** The platform operator, told (by e-mail) when a text or e-mail reaches a number or address no district owns. */
  operatorEmail: string | undefined;
  /** Identity providers may be on this machine or a private network (a district's own ADFS). */
  ssoPrivateIssuers: boolean;
  /**
   * `inline`: each server routes reports and runs the background work itself (one process, the
   * default). `separate`: servers only take requests and queue reports; `haven worker` processes
   * route them and run the background work (decision 42).
   */
  worker: 'inline' | 'separate';
  sms: { url: string | undefined; voiceUrl: string | undefined; account: string | undefined; authToken: string | undefined; from: string | undefined };
};

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Haven cannot start because its configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads and validates the environment. `defaults.demo` lets `npm start` seed the demo district
 * by default while `haven serve` in production does not.
 */
export function loadConfig(env: NodeJS.ProcessEnv, defaults: { demo?: boolean } = {}): Config {
  const parsed = environmentSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.DATABASE_URL && !e.HAVEN_SECRET_KEY) {
    problems.push('HAVEN_SECRET_KEY: required when DATABASE_URL is set, so every server shares one key (try `openssl rand -hex 32`)');
  }
  if (e.NODE_ENV === 'production' && e.HAVEN_DEMO) {
    problems.push('HAVEN_DEMO: the demo district must not be seeded in production');
  }
  if (Boolean(e.HAVEN_SMTP_TLS_CERT) !== Boolean(e.HAVEN_SMTP_TLS_KEY)) {
    problems.push('HAVEN_SMTP_TLS_CERT and HAVEN_SMTP_TLS_KEY: set both (the certificate and its private key, PEM files) or neither');
  }
  for (const name of ['HAVEN_SMTP_TLS_CERT', 'HAVEN_SMTP_TLS_KEY'] as const) {
    const file = e[name];
    if (file && !fs.existsSync(file)) problems.push(`${name}: cannot read ${file}; give the path of a PEM file`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const displayHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? '127.0.0.1' : e.HOST;
  return {
    environment: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.HAVEN_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    appDatabaseUrl: e.HAVEN_APP_DATABASE_URL,
    maintenanceDatabaseUrl: e.HAVEN_MAINTENANCE_DATABASE_URL,
    demo: e.HAVEN_DEMO ?? defaults.demo ?? false,
    demoPassword: e.HAVEN_DEMO_PASSWORD,
    secretKeyHex: e.HAVEN_SECRET_KEY,
    publicUrl: (e.HAVEN_PUBLIC_URL ?? `http://${displayHost}:${e.PORT}`).replace(/\/$/, ''),
    sessionIdleMinutes: e.HAVEN_SESSION_IDLE_MINUTES,
    sessionMaxHours: e.HAVEN_SESSION_MAX_HOURS,
    logLevel: e.HAVEN_LOG_LEVEL,
    trustProxy: e.HAVEN_TRUST_PROXY,
    signInPerMinute: e.HAVEN_SIGN_IN_PER_MINUTE,
    intakePerMinute: e.HAVEN_INTAKE_PER_MINUTE,
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM,
    smtpIntakePort: e.HAVEN_SMTP_INTAKE_PORT,
    smtpTls: e.HAVEN_SMTP_TLS_CERT && e.HAVEN_SMTP_TLS_KEY ? { certFile: e.HAVEN_SMTP_TLS_CERT, keyFile: e.HAVEN_SMTP_TLS_KEY } : undefined,
    operatorEmail: e.HAVEN_OPERATOR_EMAIL?.toLowerCase(),
    ssoPrivateIssuers: e.HAVEN_SSO_PRIVATE_ISSUERS ?? false,
    worker: e.HAVEN_WORKER,
    sms: { url: e.HAVEN_SMS_API_URL, voiceUrl: e.HAVEN_VOICE_API_URL, account: e.HAVEN_SMS_ACCOUNT, authToken: e.HAVEN_SMS_AUTH_TOKEN, from: e.HAVEN_SMS_FROM },
  };
}

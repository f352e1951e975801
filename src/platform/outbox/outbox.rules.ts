/**
 * The outbox's decisions, pure: when a failed message is tried again, when it is given up, and
 * what of a message an administrator may see. Decision 28.
 */

/**
 * The wait after each failed attempt: 30 s, 2 min, 10 min, 1 h, 4 h. A mail server that blinks is
 * ridden out in seconds; one that is down for the morning is retried without hammering it; and a
 * message that cannot go is given up the same school day, while someone can still act on it.
 */
export const retryDelaysMs = [30_000, 120_000, 600_000, 3_600_000, 14_400_000] as const;

/** Attempts before a message is `failed`: the first try and one per delay (about 5 hours in all). */
export const maxAttempts = retryDelaysMs.length + 1;

/**
 * A time-critical message (a crisis alert, "keep the student with you", a reply to a reporter) is
 * sent by the request that caused it, right after its commit. Until then the worker leaves it
 * alone; if that send never happened (the server died in between), the worker takes it over after this.
 */
export const handoverMs = 30_000;

/**
 * How long a claimed message is left to the server sending it before another may take it again.
 * Longer than the longest send (`sendTimeoutMs`), so a slow send is never sent twice.
 */
export const leaseMs = 5 * 60_000;

/** A send that has not finished by then counts as failed and is retried with backoff. */
export const sendTimeoutMs = 60_000;

/** What happens to a message after an attempt that failed. */
export type AfterFailure = { status: 'pending'; nextAttemptAt: Date } | { status: 'failed' };

/**
 * After attempt number `attempts` (1 for the first) failed at `now`: retry after the next delay,
 * or give up once the last attempt is spent, or at once when retrying cannot help (no provider).
 */
export function afterFailure(attempts: number, now: Date, options: { permanent?: boolean } = {}): AfterFailure {
  if (options.permanent || attempts >= maxAttempts) return { status: 'failed' };
  const delay = retryDelaysMs[Math.max(0, attempts - 1)] ?? retryDelaysMs[retryDelaysMs.length - 1];
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + (delay as number)) };
}

/**
 * The recipient as an administrator sees it: enough to recognise a mistyped address or a number
 * that changed, never the whole of it (`j***@example.org`, `+1•••••1234`).
 */
export function maskRecipient(to: string): string {
  const address = to.trim();
  const at = address.lastIndexOf('@');
  if (at > 0) return `${address.slice(0, 1)}***${address.slice(at)}`;
  const digits = address.replace(/\D/g, '');
  if (digits.length < 6) return '•••';
  const country = address.startsWith('+') ? `+${digits.slice(0, digits.length > 10 ? digits.length - 10 : 1)}` : '';
  return `${country}•••••${digits.slice(-4)}`;
}

/**
 * A failure as stored and shown: the error's code and a short message with any address or
 * number taken out. A mail server's refusal often quotes the recipient; that must not end up in
 * the table administrators read, nor in the log.
 */
export function shortError(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  const code = [e.code, e.responseCode].filter((part) => typeof part === 'string' || typeof part === 'number').join(' ');
  const message = (typeof e.message === 'string' ? e.message : String(error))
    .replace(/[^\s<>"'@]+@[^\s<>"']+/g, '[address]')
    .replace(/\+?\d[\d\s().-]{6,}\d/g, '[number]')
    .replace(/\s+/g, ' ')
    .trim();
  const text = code ? `${code}: ${message}` : message;
  return text.length > 200 ? `${text.slice(0, 199)}…` : text || 'Unknown error';
}

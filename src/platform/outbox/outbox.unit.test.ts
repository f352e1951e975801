import { describe, expect, it } from 'vitest';
import { afterFailure, maskRecipient, maxAttempts, shortError } from './outbox.rules.ts';

const now = new Date('2026-11-30T15:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);

describe('when a message that failed is tried again', () => {
  it.each([
    [1, 30_000],
    [2, 120_000],
    [3, 600_000],
    [4, 3_600_000],
    [5, 14_400_000],
  ])('after attempt %i it waits %i ms', (attempts, wait) => {
    expect(afterFailure(attempts, now)).toEqual({ status: 'pending', nextAttemptAt: later(wait) });
  });

  it('gives up after the last attempt, about five hours after the first', () => {
    expect(maxAttempts).toBe(6);
    expect(afterFailure(maxAttempts, now)).toEqual({ status: 'failed' });
  });

  it('gives up at once when retrying cannot help (no SMS provider configured)', () => {
    expect(afterFailure(1, now, { permanent: true })).toEqual({ status: 'failed' });
  });
});

describe('what an administrator sees of a recipient', () => {
  it.each([
    ['jordan.rivera@example.org', 'j***@example.org'],
    ['+13035550101', '+1•••••0101'],
    ['303-555-0100', '•••••0100'],
    ['+44 20 7946 0958', '+44•••••0958'],
    ['12', '•••'],
  ])('%s is shown as %s', (to, shown) => {
    expect(maskRecipient(to)).toBe(shown);
  });
});

describe('a stored failure', () => {
  it('keeps the code and the reason but never the address or number a server quoted', () => {
    const refusal = Object.assign(
      new Error("Can't send mail - all recipients were rejected: 550 5.1.1 <maya.torres@example.org>: Recipient address rejected"),
      {
        code: 'EENVELOPE',
        responseCode: 550,
      },
    );
    const stored = shortError(refusal);
    expect(stored).toMatch(/^EENVELOPE 550: Can't send mail/);
    expect(stored).not.toContain('maya');
    expect(shortError(new Error('The provider refused +1 (303) 555-0101'))).toBe('The provider refused [number]');
  });

  it('is short', () => {
    expect(shortError(new Error('x'.repeat(1000))).length).toBeLessThanOrEqual(200);
  });
});

import { describe, expect, it } from 'vitest';
import { findFollowUpCodes, kindOfAddress, normalizeEmailAddress, normalizePhoneNumber, windowLimiter } from './inbound-channels.rules.ts';

describe('how a number or address is written', () => {
  it.each([
    ['+17205550100', '+17205550100'],
    [' +1 (720) 555-0100 ', '+17205550100'],
    ['+1.720.555.0100', '+17205550100'],
    ['+447700900123', '+447700900123'],
  ])('%j is the E.164 number %s', (raw, expected) => {
    expect(normalizePhoneNumber(raw)).toEqual({ ok: true, address: expected });
  });

  it.each(['7205550100', '17205550100', '+0720555', '+1720555010012345', 'call me', '', '+1720555O100'])('%j is refused, saying what to write', (raw) => {
    const result = normalizePhoneNumber(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.en).toMatch(/E\.164.*e\.g\. \+17205550100/);
      expect(result.es).toMatch(/E\.164/);
    }
  });

  it('e-mail addresses are kept in lower case; anything else is refused', () => {
    expect(normalizeEmailAddress('  Help@Adams12.ORG ')).toEqual({ ok: true, address: 'help@adams12.org' });
    for (const bad of ['help', 'help@', '@adams12.org', 'help@adams12', 'two words@adams12.org', `${'a'.repeat(250)}@x.org`]) {
      expect(normalizeEmailAddress(bad).ok, bad).toBe(false);
    }
  });

  it('an @ makes an address e-mail, otherwise it is a number', () => {
    expect(kindOfAddress('help@adams12.org')).toBe('email');
    expect(kindOfAddress('+17205550100')).toBe('sms');
  });
});

describe('the follow-up code in a reply', () => {
  it.each([
    ['Re: Your report to Haven - follow-up code 7K2M-9QXR-4TZB', ['7K2M-9QXR-4TZB']],
    ['my code is 7k2m-9qxr-4tzb, thanks', ['7K2M-9QXR-4TZB']],
    // People type O for zero and I or L for one.
    ['7K2M-9QXR-4TZO', ['7K2M-9QXR-4TZ0']],
    // A look-alike first does not hide the real code.
    ['ABCD-EFGH-JKMN then 7K2M-9QXR-4TZB', ['ABCD-EFGH-JKMN', '7K2M-9QXR-4TZB']],
  ])('%j carries %j', (text, codes) => {
    expect(findFollowUpCodes(text)).toEqual(codes);
  });

  it.each(['no code here', 'have some time for this', 'call 720-555-0100', '7K2M-9QXR', 'X7K2M-9QXR-4TZB', '7K2M-9QXR-4TZB-1234', 'UUUU-UUUU-UUUU'])(
    '%j carries none',
    (text) => {
      expect(findFollowUpCodes(text)).toEqual([]);
    },
  );
});

describe('the SMTP rate windows', () => {
  it('allows the limit per key per window, then refuses until the next window', () => {
    const limiter = windowLimiter(2, 60_000);
    expect([limiter.take('a', 0), limiter.take('a', 1000), limiter.take('a', 2000), limiter.take('b', 2000)]).toEqual([true, true, false, true]);
    expect(limiter.retryAfterSeconds(2000)).toBe(58);
    expect(limiter.take('a', 60_000)).toBe(true);
  });

  it('does not grow without bound under a flood of distinct senders', () => {
    const limiter = windowLimiter(5, 60_000, 3);
    expect(['a', 'b', 'c', 'd'].map((k) => limiter.take(k, 0))).toEqual([true, true, true, false]);
    // A new window drops the old ones.
    expect(limiter.take('d', 60_000)).toBe(true);
  });
});

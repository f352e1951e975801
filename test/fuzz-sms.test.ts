import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizePhoneNumber } from '../src/features/crisis-reports/inbound-channels.rules.ts';
import { addChannelForDistrict } from '../src/features/crisis-reports/inbound-channels.service.ts';
import { smsSignature } from '../src/platform/notify/sms.ts';
import { sha256 } from '../src/platform/secrets.ts';
import { createCrisisTeams } from './support/crisis.ts';
import { createDistrict } from './support/factories.ts';
import {
  anyBody,
  anyString,
  anyValue,
  expectApiAnswer,
  fuzzRuns,
  headersFor,
  headerValue,
  nextAddress,
  pct,
  rowsIn,
  someString,
  tableState,
  wellFormed,
} from './support/fuzz.ts';
import { startTestHaven, type TestHaven } from './support/harness.ts';

/**
 * Issue 15: the SMS webhook takes any request without a 5xx; only a correctly signed text is
 * stored, exactly as written (or continuing the sender's open report), and a refused one leaves
 * no record behind.
 */

const smsToken = 'fuzz-sms-token-0123456789';
const smsUrl = 'http://haven.test/api/v1/channels/sms';
/** The district's number; a text to any other is held for the operator (decision 27). */
const smsNumber = '+17205550000';
let haven: TestHaven;

beforeAll(async () => {
  haven = await startTestHaven({ smsAuthToken: smsToken });
  const district = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, district);
  await addChannelForDistrict(haven.deps, district.district.id, 'sms', smsNumber);
});
afterAll(() => haven.close());

const sql = async (text: string, params: unknown[] = []) => (await haven.deps.db.system.$client.query(text, params)).rows;
const snapshot = () =>
  tableState(haven.deps.db.system.$client as pg.Pool, ['reports', 'report_intake', 'report_messages', 'report_alerts', 'incidents', 'audit_events']);

async function reportByCode(code: string) {
  const rows = await sql('select description from reports where follow_up_code_hash = $1', [sha256(code)]);
  expect(rows, `one report for follow-up code ${code}`).toHaveLength(1);
  return rows[0] as { description: string };
}

describe('POST /api/v1/channels/sms (the SMS webhook)', () => {
  it('a field that is an object with a toString that is not a function is refused, not a server error (found by this fuzz suite)', async () => {
    const response = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/channels/sms',
      payload: '{"To":{"toString":""},"From":{"valueOf":1},"Body":[{"toString":null}]}',
      headers: { 'content-type': 'application/json' },
      remoteAddress: nextAddress(),
    });
    expectApiAnswer(response, []);
  });

  it('refuses every unsigned or wrongly signed request with a 4xx problem and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyBody(['From', 'To', 'Body', 'MessageSid'], { From: anyValue, To: anyValue, Body: anyValue }),
        fc.option(fc.oneof(headerValue, fc.constant(smsSignature(smsToken, smsUrl, {}))), { nil: undefined }),
        async (body, signature) => {
          const before = await snapshot();
          const headers = headersFor(body, signature === undefined ? {} : { 'x-twilio-signature': signature });
          const response = await haven.app.inject({
            method: 'POST',
            url: '/api/v1/channels/sms',
            payload: body.payload,
            headers,
            remoteAddress: nextAddress(),
          });
          // Only an empty form body signed as empty could be valid, and it lacks From and Body.
          expectApiAnswer(response, []);
          expect(await snapshot()).toEqual(before);
        },
      ),
      fuzzRuns(),
    );
  });

  it('a correctly signed text of any content is stored as written (continuing the sender’s report) or refused with nothing stored', async () => {
    const phone = fc.oneof(fc.constantFrom('+17205551234', '+17205550001', ''), anyString(30));
    await fc.assert(
      fc.asyncProperty(
        phone,
        someString,
        fc.dictionary(fc.constantFrom('To', 'MessageSid', 'NumMedia', 'AccountSid'), anyString(30)),
        fc.boolean(),
        async (from, text, extra, toDistrict) => {
          const params: Record<string, string> = { ...extra, ...(toDistrict ? { To: smsNumber } : {}), From: from, Body: text };
          const payload = Object.entries(params)
            .map(([k, v]) => `${k}=${pct(v)}`)
            .join('&');
          // The provider signs what it sends; the server checks what it received (NUL dropped at the edge).
          const received = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, wellFormed(v).replaceAll('\u0000', '')]));
          const before = await snapshot();
          const response = await haven.app.inject({
            method: 'POST',
            url: '/api/v1/channels/sms',
            payload,
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': smsSignature(smsToken, smsUrl, received) },
            remoteAddress: nextAddress(),
          });
          const after = await snapshot();
          if (Buffer.byteLength(payload) > 64 * 1024) return void expect([response.statusCode, after]).toEqual([413, before]);
          if (!received.From) {
            expectApiAnswer(response, []);
            return void expect(after).toEqual(before);
          }
          expect(response.statusCode, response.body).toBe(200);
          expect(response.headers['content-type']).toMatch(/^text\/xml/);
          // At most 5,000 UTF-16 units, and never half a character.
          let expected = '';
          for (const ch of (received.Body as string).trim()) {
            if (expected.length + ch.length > 5000) break;
            expected += ch;
          }
          expected ||= '(empty message)';
          const to = normalizePhoneNumber(received.To ?? '');
          if (!to.ok || to.address !== smsNumber) {
            // A number no district owns: answered with 911 and 988, held for the operator, in no report.
            expect(response.body).toMatch(/not yet connected to a school|aún no está conectado a una escuela/);
            expect(rowsIn(after, 'reports')).toBe(rowsIn(before, 'reports'));
            expect((await sql('select count(*)::int as n from unrouted_messages where body = $1', [expected]))[0].n).toBeGreaterThanOrEqual(1);
            return;
          }
          const code = /follow-up code: ([0-9A-Z-]{14})\./.exec(response.body)?.[1];
          if (code) expect((await reportByCode(code)).description).toBe(expected);
          else {
            expect(response.body).toMatch(/added your message|agregamos su mensaje/);
            expect(rowsIn(after, 'report_messages')).toBe(rowsIn(before, 'report_messages') + 1);
            expect((await sql(`select count(*)::int as n from report_messages where body = $1`, [expected]))[0].n).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      fuzzRuns(150),
    );
  });

  // Found by this suite: the text was cut with slice(0, 5000), leaving half an emoji (stored as U+FFFD).
  it('a text cut at 5,000 characters keeps whole emoji', async () => {
    const params = { From: '+17205559876', To: smsNumber, Body: `${'a'.repeat(4999)}😀 tail` };
    const response = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/channels/sms',
      payload: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': smsSignature(smsToken, smsUrl, params) },
    });
    const code = /follow-up code: ([0-9A-Z-]{14})\./.exec(response.body)?.[1] as string;
    expect((await reportByCode(code)).description).toBe('a'.repeat(4999));
  });
});

import { createECDH } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { outcomeOf, pushMessage, subscriptionProblem, vapidSubject } from './push.rules.ts';

const ecdh = createECDH('prime256v1');
ecdh.generateKeys();
const keys = { p256dh: ecdh.getPublicKey().toString('base64url'), auth: Buffer.alloc(16, 7).toString('base64url') };

describe('push rules', () => {
  it('a message is built from the alert kind and report id only: nothing else can reach a lock screen', () => {
    const reportId = '0196f0a2-7c1e-7b3a-9d4e-1a2b3c4d5e6f';
    const message = pushMessage({ kind: 'report.alert', reportId, school: 'Lincoln Middle', student: 'Maya Torres' } as never);
    expect(JSON.stringify(message)).not.toMatch(/Lincoln|Maya/);
    expect(message).toMatchObject({ kind: 'report.alert', reportId, url: `/reports/${reportId}`, tag: `report-${reportId}` });
    expect(() => pushMessage({ kind: 'report.alert', reportId: 'Maya Torres, grade 7' })).toThrow();
  });

  it.each([
    ['https://fcm.googleapis.com/fcm/send/x', 'https://haven.example.org', undefined],
    ['https://web.push.apple.com/x', 'https://haven.example.org', undefined],
    ['http://127.0.0.1:9999/x', 'http://127.0.0.1:3000', undefined],
    ['http://localhost:9999/x', 'http://haven.test', undefined],
    ['http://127.0.0.1:9999/x', 'https://haven.example.org', /HTTPS/],
    ['http://push.example.org/x', 'http://127.0.0.1:3000', /HTTPS/],
    ['https://[::1]/x', 'https://haven.example.org', /not an address/],
    ['https://192.168.1.10/x', 'https://haven.example.org', /not an address/],
    ['https://localhost/x', 'https://haven.example.org', /not an address/],
  ])('endpoint %s on a Haven served at %s', (endpoint, publicUrl, problem) => {
    const found = subscriptionProblem({ endpoint, ...keys }, { publicUrl });
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });

  it('404 and 410 mean the browser withdrew the subscription; other failures are passing', () => {
    expect([201, 202, 400, 403, 404, 410, 413, 429, 500, 503].map(outcomeOf)).toEqual([
      'sent',
      'sent',
      'failed',
      'failed',
      'gone',
      'gone',
      'failed',
      'failed',
      'failed',
      'failed',
    ]);
  });

  it('the VAPID subject is the public HTTPS address, else a mailto (push services refuse http:)', () => {
    expect(vapidSubject('https://haven.example.org')).toBe('https://haven.example.org');
    expect(vapidSubject('http://127.0.0.1:3000')).toMatch(/^mailto:/);
  });
});

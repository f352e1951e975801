import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { browserKeys, startPushService } from '../../../test/support/push-service.ts';
import { pushSubscriptions } from '../../data/push.ts';

describe('turning alerts on and off on my devices', () => {
  let haven: TestHaven;
  let pushService: Awaited<ReturnType<typeof startPushService>>;
  let d: Awaited<ReturnType<typeof createDistrict>>;
  let rivera: Session;
  let okafor: Session;

  const subscribe = (session: Session, endpoint: string, extra: Record<string, unknown> = {}) => {
    const keys = browserKeys();
    return haven.app.inject({
      method: 'POST',
      url: '/api/v1/me/push-subscriptions',
      headers: session.headers,
      payload: { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth }, ...extra },
    });
  };
  const devices = async (session: Session) =>
    (await haven.app.inject({ method: 'GET', url: '/api/v1/me/push-subscriptions', headers: session.headers })).json().items as { id: string; label: string }[];

  beforeAll(async () => {
    haven = await startTestHaven();
    pushService = await startPushService();
    d = await createDistrict(haven.deps);
    rivera = await signIn(haven.app, d.people.rivera.email);
    okafor = await signIn(haven.app, d.people.okafor.email);
  });
  afterAll(async () => {
    await pushService?.close();
    await haven?.close();
  });

  it('needs a signed-in person, and refuses endpoints a push service would not have, with a clear reason and nothing stored', async () => {
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/push/public-key' })).statusCode).toBe(401);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['http://push.example.org/abc', {}, /must use HTTPS/],
      ['https://10.0.0.5/abc', {}, /host name, not an address/],
      ['https://169.254.169.254/latest', {}, /host name, not an address/],
      ['https://user:secret@push.example.org/abc', {}, /user name or password/],
      ['ftp://push.example.org/abc', {}, /must use HTTPS/],
      ['not a url', {}, /full URL/],
      ['https://push.example.org/abc', { keys: { p256dh: Buffer.alloc(65, 4).toString('base64url'), auth: 'AAAAAAAAAAAAAAAAAAAAAA' } }, /P-256/],
      ['https://push.example.org/abc', { keys: { p256dh: browserKeys().p256dh, auth: 'AAAA' } }, /16 bytes/],
      ['https://push.example.org/abc', { keys: { p256dh: 'not base64!', auth: 'AAAAAAAAAAAAAAAAAAAAAA' } }, /base64url/],
    ];
    for (const [endpoint, extra, reason] of cases) {
      const response = await subscribe(rivera, endpoint, extra);
      expect(response.statusCode, endpoint).toBe(400);
      expect(response.json().detail, endpoint).toMatch(reason);
    }
    const stored = await haven.deps.db.system.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, d.people.rivera.id));
    expect(stored).toEqual([]);
    // A push service's real address is accepted.
    expect((await subscribe(rivera, 'https://fcm.googleapis.com/fcm/send/abc123', { label: 'Chrome on Android' })).statusCode).toBe(201);
  });

  it('each person sees and removes only their own devices; a shared browser moves to whoever turned it on last', async () => {
    const endpoint = pushService.endpoint(201);
    expect((await subscribe(rivera, endpoint, { label: 'Office laptop' })).statusCode).toBe(201);
    const riveraDevice = (await devices(rivera)).find((device) => device.label === 'Office laptop');
    if (!riveraDevice) throw new Error('the device was not listed');
    expect((await devices(okafor)).map((device) => device.label)).not.toContain('Office laptop');

    // Mr. Okafor can neither remove it by id nor by its endpoint: it is not his (404, as if missing).
    const byId = await haven.app.inject({ method: 'DELETE', url: `/api/v1/me/push-subscriptions/${riveraDevice.id}`, headers: okafor.headers });
    expect(byId.statusCode).toBe(404);
    const byEndpoint = await haven.app.inject({ method: 'POST', url: '/api/v1/me/push-subscriptions/remove', headers: okafor.headers, payload: { endpoint } });
    expect(byEndpoint.statusCode).toBe(404);
    expect((await devices(rivera)).map((device) => device.id)).toContain(riveraDevice.id);

    // He signs in on the same laptop and turns alerts on: from now on it alerts him, not her.
    expect((await subscribe(okafor, endpoint, { label: 'Office laptop' })).statusCode).toBe(201);
    expect((await devices(rivera)).map((device) => device.id)).not.toContain(riveraDevice.id);
    expect((await devices(okafor)).map((device) => device.label)).toEqual(['Office laptop']);
    const test = await haven.app.inject({ method: 'POST', url: '/api/v1/me/push-subscriptions/test', headers: okafor.headers });
    expect(test.json()).toEqual({ sent: 1, failed: 0, removed: 0 });

    // He turns them off on that browser; a second try says it is already gone.
    const off = await haven.app.inject({ method: 'POST', url: '/api/v1/me/push-subscriptions/remove', headers: okafor.headers, payload: { endpoint } });
    expect(off.statusCode).toBe(204);
    expect(await devices(okafor)).toEqual([]);
    const again = await haven.app.inject({ method: 'POST', url: '/api/v1/me/push-subscriptions/remove', headers: okafor.headers, payload: { endpoint } });
    expect(again.statusCode).toBe(404);
    const noDevice = await haven.app.inject({ method: 'POST', url: '/api/v1/me/push-subscriptions/test', headers: okafor.headers });
    expect(noDevice.statusCode).toBe(400);
    expect(noDevice.json().detail).toMatch(/turn them on in this browser first/);
  });
});

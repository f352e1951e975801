import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { browserKeys, startPushService, verifyVapid } from '../../../test/support/push-service.ts';
import { auditEvents } from '../../data/audit.ts';
import { pushSubscriptions } from '../../data/push.ts';
import { pushToUser } from './push.ts';

describe('an alert pushed to a phone', () => {
  let haven: TestHaven;
  let pushService: Awaited<ReturnType<typeof startPushService>>;
  let d: Awaited<ReturnType<typeof createDistrict>>;

  beforeAll(async () => {
    haven = await startTestHaven();
    pushService = await startPushService();
    d = await createDistrict(haven.deps);
  });
  afterAll(async () => {
    await pushService?.close();
    await haven?.close();
  });

  it('reaches Ms. Rivera encrypted for her browser alone, signed by Haven, naming no student; a withdrawn device is forgotten', async () => {
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const publicKey = (await haven.app.inject({ method: 'GET', url: '/api/v1/push/public-key', headers: rivera.headers })).json().publicKey as string;
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);

    // Her phone and an old laptop whose browser has since withdrawn its subscription.
    const phone = browserKeys();
    const phoneEndpoint = pushService.endpoint(201);
    const laptop = browserKeys();
    const laptopEndpoint = pushService.endpoint(410);
    for (const [endpoint, keys, label] of [
      [phoneEndpoint, phone, 'Chrome on Android'],
      [laptopEndpoint, laptop, 'Firefox on Windows'],
    ] as const) {
      const subscribed = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/me/push-subscriptions',
        headers: rivera.headers,
        payload: { endpoint, expirationTime: null, keys: { p256dh: keys.p256dh, auth: keys.auth }, label },
      });
      expect(subscribed.statusCode, subscribed.body).toBe(201);
    }

    const reportId = haven.deps.ids.uuid();
    const result = await pushToUser(haven.deps, { districtId: d.district.id, userId: d.people.rivera.id }, { kind: 'report.alert', reportId });
    expect(result).toEqual({ sent: 1, failed: 1, removed: 1 });

    const delivered = pushService.received.find((r) => phoneEndpoint.endsWith(r.path));
    if (!delivered) throw new Error('nothing reached the phone endpoint');
    expect(delivered.headers['content-encoding']).toBe('aes128gcm');
    expect(delivered.headers.urgency).toBe('high');
    expect(delivered.headers.ttl).toBe(String(4 * 60 * 60));
    expect(delivered.headers.topic).toBe(reportId.replaceAll('-', ''));
    const claims = verifyVapid(delivered.headers.authorization, publicKey);
    expect(claims.aud).toBe(pushService.origin);
    expect(claims.sub).toMatch(/^(mailto:|https:)/);

    // The push service sees only ciphertext; the browser that owns the keys reads the message.
    expect(delivered.body.toString('latin1')).not.toContain(reportId);
    const message = JSON.parse(phone.decrypt(delivered.body));
    expect(message).toEqual({
      v: 1,
      kind: 'report.alert',
      reportId,
      url: `/reports/${reportId}`,
      tag: `report-${reportId}`,
      text: {
        en: expect.objectContaining({ title: 'New report needing action', body: 'Open Haven to see it.', acknowledge: 'Acknowledge' }),
        es: expect.objectContaining({ title: 'Nuevo reporte que requiere acción', body: 'Abra Haven para verlo.', acknowledge: 'Atender' }),
      },
    });
    expect(() => laptop.decrypt(delivered.body)).toThrow();

    // The laptop's subscription is gone (the push service said 410); the phone's records its success.
    const left = await haven.deps.db.system.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, d.people.rivera.id));
    expect(left.map((s) => s.endpoint)).toEqual([phoneEndpoint]);
    expect(left[0]?.lastSuccessAt).toEqual(haven.clock.now());
    const listed = (await haven.app.inject({ method: 'GET', url: '/api/v1/me/push-subscriptions', headers: rivera.headers })).json().items;
    expect(listed).toEqual([expect.objectContaining({ label: 'Chrome on Android', lastSuccessAt: haven.clock.now().toISOString(), lastFailureAt: null })]);
    const removals = await haven.deps.db.system
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.districtId, d.district.id), eq(auditEvents.action, 'push_subscription.removed')));
    expect(removals).toHaveLength(1);
  });

  it('a push service that fails keeps the device and marks it, and nobody else in the district is pushed', async () => {
    const okafor = await signIn(haven.app, d.people.okafor.email);
    const keys = browserKeys();
    const endpoint = pushService.endpoint(503);
    await haven.app.inject({
      method: 'POST',
      url: '/api/v1/me/push-subscriptions',
      headers: okafor.headers,
      payload: { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } },
    });
    const before = pushService.received.length;
    const reportId = haven.deps.ids.uuid();
    expect(await pushToUser(haven.deps, { districtId: d.district.id, userId: d.people.okafor.id }, { kind: 'report.alert', reportId })).toEqual({
      sent: 0,
      failed: 1,
      removed: 0,
    });
    expect(pushService.received.slice(before).map((r) => r.path)).toEqual([new URL(endpoint).pathname]);
    const [kept] = await haven.deps.db.system.select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint));
    expect(kept?.lastFailureAt).toEqual(haven.clock.now());
    // Ms. Park (another school) has no device: nothing is sent, nothing fails.
    expect(await pushToUser(haven.deps, { districtId: d.district.id, userId: d.people.park.id }, { kind: 'report.alert', reportId })).toEqual({
      sent: 0,
      failed: 0,
      removed: 0,
    });
  });
});

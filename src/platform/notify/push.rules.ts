import { createPublicKey } from 'node:crypto';
import { isIP } from 'node:net';
import { isUuid } from '../ids.ts';

/**
 * What a Web Push message may say, and which subscriptions Haven will send to. Pure: no database,
 * no network, no clock.
 *
 * A push message passes through the browser vendor's push service (Google, Mozilla, Apple,
 * Microsoft) and is shown on a lock screen, so it names no student, school, category or urgency:
 * only that a report needs action, its id (a random UUID that means nothing outside Haven) and
 * where to open it. Both languages travel in the message and the service worker shows the one the
 * person reads Haven in; the server need not know which device reads which language.
 */
export type PushAlert = { kind: 'report.alert'; reportId: string } | { kind: 'test' };

type PushText = { title: string; body: string; open: string; acknowledge?: string; acknowledged?: string; acknowledgedBody?: string };

export type PushMessage = {
  v: 1;
  kind: PushAlert['kind'];
  reportId?: string;
  /** The page the notification opens (same origin as the service worker). */
  url: string;
  /** Notifications with the same tag replace each other: one per report, on every device. */
  tag: string;
  text: { en: PushText; es: PushText };
};

const reportText: { en: PushText; es: PushText } = {
  en: {
    title: 'New report needing action',
    body: 'Open Haven to see it.',
    open: 'Open',
    acknowledge: 'Acknowledge',
    acknowledged: 'You have this report',
    acknowledgedBody: 'The escalation stopped. Open Haven to act on it.',
  },
  es: {
    title: 'Nuevo reporte que requiere acción',
    body: 'Abra Haven para verlo.',
    open: 'Abrir',
    acknowledge: 'Atender',
    acknowledged: 'Usted se encarga de este reporte',
    acknowledgedBody: 'La escalada se detuvo. Abra Haven para actuar.',
  },
};

const testText: { en: PushText; es: PushText } = {
  en: { title: 'Haven notifications are on', body: 'Alerts for you will reach this device.', open: 'Open' },
  es: { title: 'Las notificaciones de Haven están activadas', body: 'Sus alertas llegarán a este dispositivo.', open: 'Abrir' },
};

/** The message for an alert. It is built here from the alert's kind and id alone, so no caller can add student data. */
export function pushMessage(alert: PushAlert): PushMessage {
  if (alert.kind === 'test') return { v: 1, kind: 'test', url: '/account', tag: 'haven-test', text: testText };
  if (!isUuid(alert.reportId)) throw new Error('a push alert names a report by its id');
  return { v: 1, kind: 'report.alert', reportId: alert.reportId, url: `/reports/${alert.reportId}`, tag: `report-${alert.reportId}`, text: reportText };
}

/**
 * How the push service is asked to deliver. A report alert is urgent (it wakes a sleeping phone)
 * and lives 4 hours: long enough to outlast a dead zone, short enough not to ring for a report
 * the chain has long since escalated past. Its topic replaces an undelivered earlier alert for the
 * same report, so a phone coming back online rings once per report.
 */
export function deliveryOptions(alert: PushAlert): { ttlSeconds: number; urgency: 'high' | 'normal'; topic?: string } {
  if (alert.kind === 'test') return { ttlSeconds: 60 * 10, urgency: 'normal' };
  return { ttlSeconds: 4 * 60 * 60, urgency: 'high', topic: alert.reportId.replaceAll('-', '') };
}

/** What became of one push: delivered, gone for good (delete the subscription), or failed this time. */
export type PushOutcome = 'sent' | 'gone' | 'failed';

/** RFC 8030: 201 is delivered; 404 and 410 mean the subscription expired or was withdrawn. */
export function outcomeOf(status: number): PushOutcome {
  if (status >= 200 && status < 300) return 'sent';
  if (status === 404 || status === 410) return 'gone';
  return 'failed';
}

export type SubscriptionInput = { endpoint: string; p256dh: string; auth: string };

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why Haven refuses to send to this subscription, or undefined when it is usable. Haven itself
 * makes the request to the endpoint, so an endpoint is a place a signed-in person could make the
 * server call: it must be HTTPS to a host name (push services are), never an address inside the
 * network. Plain HTTP is accepted only to this machine and only while Haven itself is served over
 * plain HTTP (a development or test install, where a local push server stands in for a vendor's).
 */
export function subscriptionProblem(input: SubscriptionInput, haven: { publicUrl: string }): string | undefined {
  let url: URL;
  try {
    url = new URL(input.endpoint);
  } catch {
    return 'The push endpoint must be a full URL.';
  }
  if (url.username || url.password) return 'The push endpoint must not carry a user name or password.';
  const plainHavenInstall = haven.publicUrl.startsWith('http:');
  if (url.protocol === 'http:') {
    if (!(plainHavenInstall && loopbackHosts.has(url.hostname))) return 'The push endpoint must use HTTPS.';
  } else if (url.protocol !== 'https:') {
    return 'The push endpoint must use HTTPS.';
  } else if (isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0 || url.hostname === 'localhost') {
    return "The push endpoint must be a push service's host name, not an address.";
  }
  const p256dh = Buffer.from(input.p256dh, 'base64url');
  if (p256dh.length !== 65 || p256dh[0] !== 4 || !onCurve(p256dh)) return "The browser's public key (p256dh) is not a P-256 key.";
  if (Buffer.from(input.auth, 'base64url').length !== 16) return "The browser's auth secret must be 16 bytes.";
  return undefined;
}

/** True when the uncompressed point is on P-256 (node:crypto refuses one that is not). */
function onCurve(point: Buffer): boolean {
  try {
    createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
      format: 'jwk',
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * The VAPID subject (RFC 8292) tells a push service whom to contact about Haven's traffic: the
 * public address when it is HTTPS, else a mailto (push services refuse http: subjects).
 */
export function vapidSubject(publicUrl: string): string {
  return publicUrl.startsWith('https://') ? publicUrl : 'mailto:push@haven.invalid';
}

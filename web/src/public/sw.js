/*
 * Haven's service worker (decision 30): it makes the staff app installable, shows Web Push alerts
 * when Haven is closed or the phone is locked, and acknowledges a report from its notification.
 *
 * It caches no page and no answer: student records must not stay behind on a shared device, and a
 * crisis team must never read a stale report. Only the language the person reads Haven in is kept
 * (Cache Storage "haven-settings"), so a notification speaks it.
 *
 * Acknowledging from the notification uses the person's own session, as the app would: the
 * session cookie goes with this worker's requests to its own origin, the CSRF token comes from
 * GET /api/v1/me. When that cannot work (signed out, session ended, two-step sign-in pending,
 * offline), the report page opens instead, where the person signs in and acknowledges.
 */
const icon = '/icon-192.png';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

/** The language the app last ran in on this device, else the browser's. */
async function preferredLanguage() {
  try {
    const saved = await (await caches.open('haven-settings')).match('/language');
    const value = saved ? (await saved.text()).trim() : '';
    if (value === 'en' || value === 'es') return value;
  } catch {
    // Cache Storage unavailable (private mode): fall back to the browser's language.
  }
  return (self.navigator.language || 'en').toLowerCase().startsWith('es') ? 'es' : 'en';
}

/** Only a path on this origin may be opened from a notification. */
function samePath(url) {
  return typeof url === 'string' && url.startsWith('/') && !url.startsWith('//') ? url : '/';
}

/** Shows a Haven message ({ v: 1, kind, reportId, url, tag, text: { en, es } }, built by the server's push.rules.ts). */
async function showMessage(message) {
  const lang = await preferredLanguage();
  const text = message.text[lang] || message.text.en;
  const actions = [];
  if (message.kind === 'report.alert' && text.acknowledge) actions.push({ action: 'acknowledge', title: text.acknowledge });
  actions.push({ action: 'open', title: text.open });
  await self.registration.showNotification(text.title, {
    body: text.body,
    tag: message.tag,
    renotify: true,
    requireInteraction: message.kind === 'report.alert',
    icon,
    badge: icon,
    lang,
    data: { kind: message.kind, reportId: message.reportId, url: samePath(message.url), text },
    actions,
  });
}

self.addEventListener('push', (event) => {
  let message = null;
  try {
    message = event.data ? event.data.json() : null;
  } catch {
    message = null;
  }
  // A push must always show something; a message this worker cannot read still says where to look.
  const shown =
    message && message.v === 1 && message.text?.en
      ? showMessage(message)
      : self.registration.showNotification('Haven', { body: 'Open Haven. / Abra Haven.', tag: 'haven', icon });
  event.waitUntil(shown);
});

/** Acknowledges the report as the signed-in person; false when that is not possible from here. */
async function acknowledge(reportId) {
  const me = await fetch('/api/v1/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!me.ok) return false;
  const { csrfToken } = await me.json();
  if (!csrfToken) return false;
  const answer = await fetch(`/api/v1/reports/${encodeURIComponent(reportId)}/acknowledge`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'x-csrf-token': csrfToken },
  });
  return answer.ok;
}

/** Focuses an open Haven window on the page, or opens one. */
async function openPage(url) {
  const target = new URL(samePath(url), self.location.origin).href;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) {
    try {
      const focused = await client.focus();
      await (focused || client).navigate(target);
      return;
    } catch {
      // Not controlled by this worker, or gone: try the next, then a new window.
    }
  }
  await self.clients.openWindow(target);
}

/**
 * What a tap does: "Acknowledge" stops the escalation and says so in a new notification (tap it
 * to open the report); anything else, or an acknowledgement that could not be made, opens the page.
 */
async function handleNotificationClick(notification, action) {
  const data = notification.data || {};
  notification.close();
  if (action === 'acknowledge' && data.reportId) {
    let done = false;
    try {
      done = await acknowledge(data.reportId);
    } catch {
      done = false;
    }
    if (done) {
      await self.registration.showNotification(data.text.acknowledged, {
        body: data.text.acknowledgedBody,
        tag: notification.tag,
        icon,
        data: { kind: 'acknowledged', reportId: data.reportId, url: data.url, text: data.text },
      });
      return 'acknowledged';
    }
  }
  await openPage(data.url);
  return 'opened';
}

self.addEventListener('notificationclick', (event) => {
  event.waitUntil(handleNotificationClick(event.notification, event.action));
});

/** The push service replaced this browser's subscription: tell Haven the new one, as the person. */
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(
    (async () => {
      const me = await fetch('/api/v1/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (!me.ok) return;
      const { csrfToken } = await me.json();
      const { publicKey } = await (await fetch('/api/v1/push/public-key', { credentials: 'same-origin' })).json();
      const subscription = event.newSubscription || (await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey }));
      const headers = { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfToken };
      await fetch('/api/v1/me/push-subscriptions', { method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify(subscription.toJSON()) });
      if (event.oldSubscription) {
        await fetch('/api/v1/me/push-subscriptions/remove', {
          method: 'POST',
          credentials: 'same-origin',
          headers,
          body: JSON.stringify({ endpoint: event.oldSubscription.endpoint }),
        });
      }
    })().catch(() => undefined),
  );
});

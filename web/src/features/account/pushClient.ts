import { api } from '../../api';

/**
 * The browser's side of alerts on a phone (decision 30): the service worker, the notification
 * permission, and this browser's Web Push subscription. Nothing here is needed for alerts to
 * arrive in the open app; it adds a way for them to reach a locked phone or a closed laptop.
 */

/** True when this browser can receive alerts with Haven closed (iPhones only once Haven is on the Home Screen). */
export function pushSupported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** Registers /sw.js once per page load; it makes the app installable and shows pushed alerts. */
let registering: Promise<ServiceWorkerRegistration | undefined> | undefined;
export function registerServiceWorker(): Promise<ServiceWorkerRegistration | undefined> {
  if (!('serviceWorker' in navigator)) return Promise.resolve(undefined);
  registering ??= navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  return registering;
}

/** Tells the service worker which language to show notifications in (it cannot read the app's storage). */
export async function rememberLanguage(language: string): Promise<void> {
  if (!('caches' in window)) return;
  try {
    await (await caches.open('haven-settings')).put('/language', new Response(language === 'es' ? 'es' : 'en'));
  } catch {
    // Private browsing may refuse storage; notifications then follow the browser's language.
  }
}

/** A name the person will recognize in their list of devices, e.g. "Chrome · Android". */
export function deviceLabel(userAgent: string): string {
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\/|CriOS\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Browser';
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /CrOS/.test(userAgent)
            ? 'ChromeOS'
            : /Linux/.test(userAgent)
              ? 'Linux'
              : '';
  return system ? `${browser} · ${system}` : browser;
}

/** This browser's current subscription, if push is on here. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const registration = await registerServiceWorker();
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** Asks for permission (from a click), subscribes with Haven's key and stores the subscription on the server. */
export async function turnOnPush(): Promise<void> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new PushPermissionError(permission);
  const registration = await registerServiceWorker();
  if (!registration) throw new Error('service worker unavailable');
  await navigator.serviceWorker.ready;
  const { publicKey } = await api<{ publicKey: string }>('GET', '/api/v1/push/public-key');
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey }));
  await api('POST', '/api/v1/me/push-subscriptions', { ...subscription.toJSON(), label: deviceLabel(navigator.userAgent) });
}

/** Withdraws this browser's subscription here and on the server (already gone on the server is fine). */
export async function turnOffPush(): Promise<void> {
  const subscription = await currentSubscription();
  if (!subscription) return;
  await api('POST', '/api/v1/me/push-subscriptions/remove', { endpoint: subscription.endpoint }).catch(() => undefined);
  await subscription.unsubscribe();
}

export class PushPermissionError extends Error {
  constructor(public readonly permission: NotificationPermission) {
    super(`notification permission ${permission}`);
  }
}

/**
 * Shows a system notification for an alert that reached the open app, with the same tag as the
 * pushed one so a device with both shows it once. The text names no student or school: it may
 * appear on a lock screen. Through the service worker when there is one (Android allows no other way).
 */
export async function notifyInApp(alert: { reportId: string; title: string; body: string; lang: string }): Promise<void> {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  const options: NotificationOptions = {
    body: alert.body,
    tag: `report-${alert.reportId}`,
    icon: '/icon-192.png',
    lang: alert.lang,
    data: { url: `/reports/${alert.reportId}` },
  };
  try {
    const registration = await registerServiceWorker();
    if (registration) {
      await registration.showNotification(alert.title, options);
      return;
    }
    new Notification(alert.title, options);
  } catch {
    // The banner, the sound and the tab title still tell the person.
  }
}

/** A short two-tone chime from the Web Audio API (no file to load); silent if the browser has not been clicked yet. */
export function playAlertSound(): void {
  const AudioContextClass = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!AudioContextClass) return;
  try {
    const context = new AudioContextClass();
    const gain = context.createGain();
    gain.connect(context.destination);
    gain.gain.setValueAtTime(0.0001, context.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.3, context.currentTime + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, context.currentTime + 0.6);
    for (const [frequency, start] of [
      [880, 0],
      [660, 0.25],
    ] as const) {
      const tone = context.createOscillator();
      tone.frequency.value = frequency;
      tone.connect(gain);
      tone.start(context.currentTime + start);
      tone.stop(context.currentTime + start + 0.3);
    }
    setTimeout(() => void context.close(), 1000);
  } catch {
    // No audio device: the other signals remain.
  }
}

const soundKey = 'haven.alertSound';
/** Whether the open app chimes for a new alert on this device (on unless the person turned it off). */
export function alertSoundOn(): boolean {
  return localStorage.getItem(soundKey) !== 'off';
}
export function setAlertSound(on: boolean): void {
  localStorage.setItem(soundKey, on ? 'on' : 'off');
}

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveAlert, LiveEventData, LiveEventType, ProctorHold } from '../../../../src/platform/notify/live.schema';
import { alertSoundOn, notifyInApp, playAlertSound, registerServiceWorker, rememberLanguage } from '../account/pushClient';

/** The data of a stream event of this type, as the server's schema describes it (every event is sent through it). */
const dataOf = <T extends LiveEventType>(_type: T, event: Event) => JSON.parse((event as MessageEvent).data) as LiveEventData<T>;

/**
 * Listens to the server's live alert stream (server-sent events). The browser reconnects by
 * itself after sleep or a network drop; alerts also arrive by e-mail and SMS, and escalate until
 * acknowledged, so a closed laptop never silences a report. A new alert also chimes, shows a
 * system notification (when allowed) and puts "(1) New alert" in the tab title until it is opened,
 * dismissed or acknowledged, so a person working in another tab or window notices it.
 */
export function useLiveAlerts(enabled: boolean) {
  const queryClient = useQueryClient();
  const { t, i18n } = useTranslation();
  // The handler below outlives renders; it reads the current translations through this.
  const text = useRef({ t, language: i18n.language });
  text.current = { t, language: i18n.language };
  const [alerts, setAlerts] = useState<LiveAlert[]>([]);
  const [holds, setHolds] = useState<ProctorHold[]>([]);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource('/api/v1/alerts/stream');
    source.addEventListener('ready', () => setConnected(true));
    source.addEventListener('error', () => setConnected(false));
    source.addEventListener('report.alert', (event) => {
      const alert = dataOf('report.alert', event);
      setAlerts((current) => [alert, ...current.filter((a) => a.reportId !== alert.reportId)].slice(0, 5));
      void queryClient.invalidateQueries({ queryKey: ['reports'] });
      if (alertSoundOn()) playAlertSound();
      const { t: translate, language } = text.current;
      void notifyInApp({ reportId: alert.reportId, title: translate('push.notificationTitle'), body: translate('push.notificationBody'), lang: language });
    });
    const refresh = (event: Event) => {
      const { reportId } = dataOf('report.message', event);
      void queryClient.invalidateQueries({ queryKey: ['reports'] });
      void queryClient.invalidateQueries({ queryKey: ['report', reportId] });
    };
    source.addEventListener('report.acknowledged', (event) => {
      const { reportId } = dataOf('report.acknowledged', event);
      setAlerts((current) => current.filter((a) => a.reportId !== reportId));
      refresh(event);
    });
    source.addEventListener('report.message', refresh);
    source.addEventListener('screening.hold', (event) => {
      const hold = dataOf('screening.hold', event);
      setHolds((current) => [hold, ...current.filter((h) => h.sessionId !== hold.sessionId)]);
      void queryClient.invalidateQueries({ queryKey: ['screening'] });
    });
    return () => source.close();
  }, [enabled, queryClient]);
  // The service worker makes the app installable and shows pushed alerts in the person's language.
  useEffect(() => {
    if (!enabled) return;
    void registerServiceWorker();
    void rememberLanguage(i18n.language);
  }, [enabled, i18n.language]);
  useTabTitle(alerts.length, t('push.tabTitle', { count: alerts.length }));
  const dismiss = (reportId: string) => setAlerts((current) => current.filter((a) => a.reportId !== reportId));
  const dismissHold = (sessionId: string) => setHolds((current) => current.filter((h) => h.sessionId !== sessionId));
  return { alerts, holds, connected, dismiss, dismissHold };
}

/** "(2) New alerts — Haven" while alerts wait; the page's own title again once none does. */
function useTabTitle(waiting: number, title: string) {
  useEffect(() => {
    if (waiting === 0) return;
    const previous = document.title;
    document.title = title;
    return () => {
      document.title = previous;
    };
  }, [waiting, title]);
}

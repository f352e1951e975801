import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

/** A proctor's alert: a student they are screening must stay with them (imminent risk). */
export type ProctorHold = { windowId: string; sessionId: string; student: string; school: string };
export type LiveAlert = { reportId: string; urgency: string; category: string; school: string; step: string; afterHours?: boolean };

/**
 * Listens to the server's live alert stream (server-sent events). The browser reconnects by
 * itself after sleep or a network drop; alerts also arrive by e-mail and SMS, and escalate until
 * acknowledged, so a closed laptop never silences a report.
 */
export function useLiveAlerts(enabled: boolean) {
  const queryClient = useQueryClient();
  const [alerts, setAlerts] = useState<LiveAlert[]>([]);
  const [holds, setHolds] = useState<ProctorHold[]>([]);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource('/api/v1/alerts/stream');
    source.addEventListener('ready', () => setConnected(true));
    source.addEventListener('error', () => setConnected(false));
    source.addEventListener('report.alert', (event) => {
      const alert = JSON.parse((event as MessageEvent).data) as LiveAlert;
      setAlerts((current) => [alert, ...current.filter((a) => a.reportId !== alert.reportId)].slice(0, 5));
      void queryClient.invalidateQueries({ queryKey: ['reports'] });
    });
    const refresh = (event: Event) => {
      const { reportId } = JSON.parse((event as MessageEvent).data) as { reportId: string };
      void queryClient.invalidateQueries({ queryKey: ['reports'] });
      void queryClient.invalidateQueries({ queryKey: ['report', reportId] });
    };
    source.addEventListener('report.acknowledged', (event) => {
      const { reportId } = JSON.parse((event as MessageEvent).data) as { reportId: string };
      setAlerts((current) => current.filter((a) => a.reportId !== reportId));
      refresh(event);
    });
    source.addEventListener('report.message', refresh);
    source.addEventListener('screening.hold', (event) => {
      const hold = JSON.parse((event as MessageEvent).data) as ProctorHold;
      setHolds((current) => [hold, ...current.filter((h) => h.sessionId !== hold.sessionId)]);
      void queryClient.invalidateQueries({ queryKey: ['screening'] });
    });
    return () => source.close();
  }, [enabled, queryClient]);
  const dismiss = (reportId: string) => setAlerts((current) => current.filter((a) => a.reportId !== reportId));
  const dismissHold = (sessionId: string) => setHolds((current) => current.filter((h) => h.sessionId !== sessionId));
  return { alerts, holds, connected, dismiss, dismissHold };
}

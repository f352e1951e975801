import { List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../../../src/features/cases/case-view.schema';

/** Why a step is refused (case.rules.ts Gate), as the server sends it. */
export type GateView = CaseView['actions'][number]['gates'][number];

/**
 * Why a step is refused, in the reader's language. The server sends a code per reason (and the
 * sections or actions still missing) beside its English text, which stays the fallback.
 */
export function GateList({ gates, reasons }: { gates: GateView[]; reasons: string[] }) {
  const { t, i18n } = useTranslation();
  const join = (items: string[]) => new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(items);
  const say = (gate: GateView, fallback: string) => {
    if (gate.code === 'high_risk_plan_incomplete')
      return t('cases.gates.high_risk_plan_incomplete', { items: join(gate.items.map((s) => t(`cases.plan.required.${s}`))), defaultValue: fallback });
    if (gate.code === 'threat_actions')
      return t('cases.gates.threat_actions', {
        items: join(gate.items.map((a) => t(`cases.threat.actions.${a}`))),
        severity: t(`cases.threat.severities.${gate.severity}`),
        defaultValue: fallback,
      });
    return t(`cases.gates.${gate.code}`, { defaultValue: fallback });
  };
  if (reasons.length === 0) return null;
  return (
    <List size="sm" mt={4}>
      {reasons.map((reason, i) => {
        const gate = gates[i];
        return <List.Item key={reason}>{gate && gate.code !== 'status' ? say(gate, reason) : reason}</List.Item>;
      })}
    </List>
  );
}

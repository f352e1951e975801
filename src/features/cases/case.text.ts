import { badRequest } from '../../platform/errors.ts';
import type { CaseAction, CaseStatus, Gate, PlanSection, ThreatAction } from './case.rules.ts';
import type { SafetReason } from './safet.rules.ts';

/**
 * Why a case may not move, in Spanish, for the API's refusal when staff read Haven in Spanish.
 * The sentences are the staff app's own (locales `cases.gates.*`), so the page and the refusal say
 * the same thing the same way; the English stays in case.rules.ts beside the rule.
 */

const sections: Record<PlanSection, string> = {
  warningSigns: 'las señales de alerta',
  copingStrategies: 'las estrategias para afrontar la crisis',
  peopleToAsk: 'las personas a quienes pedir ayuda',
  environmentSafety: 'hacer seguro el entorno',
};

const actions: Record<ThreatAction, string> = {
  protectiveActions: 'las medidas de protección tomadas',
  victimsNotified: 'que se avisó a las posibles víctimas',
  guardiansNotified: 'que se avisó a los padres o tutores del estudiante',
  lawEnforcement: 'que se consultó a la policía',
  safetyPlan: 'un plan de seguridad para la amenaza',
};

const statuses: Record<CaseStatus, string> = {
  open: 'abierto',
  assessing: 'en evaluación',
  safety_planning: 'en plan de seguridad',
  monitoring: 'en seguimiento',
  closed: 'cerrado',
};

const moves: Record<CaseAction, string> = {
  start_assessing: 'pasar a evaluación',
  start_safety_planning: 'pasar a plan de seguridad',
  start_monitoring: 'pasar a seguimiento',
  close: 'cerrarse',
  reopen: 'reabrirse',
};

const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} y ${items.at(-1)}`);

/** One reason a case may not move, in Spanish. */
export function gateTextEs(gate: Gate, status: CaseStatus, action: CaseAction): string {
  switch (gate.code) {
    case 'status':
      return `Un caso ${statuses[status]} no puede ${moves[action]}.`;
    case 'assessment_first':
      return 'Primero registre una evaluación de riesgo.';
    case 'high_risk_no_plan':
      return 'El riesgo es alto: primero haga un plan de seguridad con el estudiante.';
    case 'high_risk_plan_incomplete':
      return `El riesgo es alto y el plan de seguridad no está completo: con el estudiante, complete ${list(gate.items.map((s) => sections[s]))}.`;
    case 'mandatory_report':
      return 'Hay un reporte obligatorio pendiente: preséntelo (C.R.S. 19-3-304) antes de cerrar.';
    case 'guardian_notice':
      return 'Registre el aviso al tutor, o un motivo confirmado para no avisar, antes de cerrar.';
    case 'threat_actions':
      return `La amenaza es sustantiva (${gate.severity === 'very_serious' ? 'muy grave' : 'grave'}): registre ${list(gate.items.map((a) => actions[a]))} antes de cerrar.`;
  }
}

/** Every reason, one sentence after another, as the English refusal joins them. */
export const gatesTextEs = (gates: Gate[], status: CaseStatus, action: CaseAction) => gates.map((g) => gateTextEs(g, status, action)).join(' ');

/** A closed case takes no new record; said alike by every service that adds one. */
export const caseClosed = () =>
  badRequest('This case is closed. Reopen it (with a reason) to add to it.', {
    code: 'case_closed',
    es: 'Este caso está cerrado. Reábralo (indicando el motivo) para agregar algo.',
  });

const riskLevelsEs: Record<string, string> = { low: 'bajo', moderate: 'moderado', high: 'alto' };
const safetReasonsEs: Record<Exclude<SafetReason['code'], 'risk_factors'>, string> = {
  intent: 'expresa intención de actuar',
  recent_behaviour: 'conducta suicida en los últimos 3 meses',
  plan_with_means: 'ideación activa con un plan y acceso a medios letales',
  plan: 'un plan, sin intención ni conducta reciente',
  active_ideation: 'ideación suicida activa',
  past_behaviour: 'conducta suicida hace más de 3 meses',
  passive_ideation: 'pensamientos de muerte sin plan, intención ni conducta',
  nothing_reported: 'no se informa ideación suicida, plan, intención ni conducta',
};

/** Why a clinician's SAFE-T level needs a reason, in Spanish (locales `cases.safet.*`). */
export function safetRationaleEs(suggested: { level: string; reasons: SafetReason[] }, chosen: string): string {
  const reasons = suggested.reasons.map((r) =>
    r.code === 'risk_factors' ? `${r.values.risk} factores de riesgo y ${r.values.protective} de protección` : safetReasonsEs[r.code],
  );
  return `Haven sugiere un riesgo ${riskLevelsEs[suggested.level] ?? suggested.level} (${reasons.join('; ')}). Explique por qué eligió ${riskLevelsEs[chosen] ?? chosen}.`;
}

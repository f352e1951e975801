/**
 * The crisis-teams feature's front door: what other features may use of it (docs/ARCHITECTURE.md).
 * The escalation chain lives here whole: who is alerted (routing), and when and how often
 * (escalation settings and waits); crisis-reports runs it for each report.
 */

export { loadRoutingContext } from './crisis-teams.repository.ts';
export * from './escalation.rules.ts';
export { type Member, recipientsAt } from './routing.rules.ts';

/**
 * The plans feature's front door: what other features may use of it (docs/ARCHITECTURE.md).
 */
export { addDays, schoolDaysBetween } from './plans.rules.ts';
export { createPlan, recordProgress } from './plans.service.ts';

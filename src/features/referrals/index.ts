/**
 * The referrals feature's front door: what other features may use of it (docs/ARCHITECTURE.md).
 */
export { factsOf, guardianMayBeTold } from './consent-paths.rules.ts';
export { insurances, matchServices, modalities, type Need, serviceTypes } from './matching.rules.ts';
export type { TaskStatus } from './referral.rules.ts';

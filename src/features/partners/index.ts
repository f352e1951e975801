/**
 * The partners feature's front door: what other features may use of it (docs/ARCHITECTURE.md).
 */
export { projectedWait, type ServiceCapacity } from './capacity.rules.ts';

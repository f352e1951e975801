/**
 * The students feature's front door: what other features may use of it (docs/ARCHITECTURE.md).
 */
export { guardiansOf } from './students.repository.ts';

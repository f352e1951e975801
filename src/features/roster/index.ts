/**
 * The roster feature's front door: what other features may use of it (docs/ARCHITECTURE.md).
 */
export { teachesStudent } from './teaches-student.ts';

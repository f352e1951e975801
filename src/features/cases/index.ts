/**
 * The cases feature's front door: what other features may use of it (docs/ARCHITECTURE.md).
 * It grows as imports from elsewhere move here from the feature's inner files (issue 17).
 */
export { readTaskTitle } from './case-words.rules.ts';

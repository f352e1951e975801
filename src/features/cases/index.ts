/**
 * The cases feature's front door: what other features may use of it (docs/ARCHITECTURE.md).
 * It grows as imports from elsewhere move here from the feature's inner files (issue 17).
 */

export { caseSubject } from './case-access.ts';
export { readTaskTitle } from './case-words.rules.ts';
export { openCase, transitionCase } from './cases.service.ts';
export { recordGuardianNotice } from './duties.service.ts';
export { completeTask, recordHandoff, recordSafetyPlan, recordSuicideAssessment } from './records.service.ts';
export { recordReentryPlan } from './reentry.service.ts';

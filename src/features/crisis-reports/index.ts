/**
 * The crisis-reports feature's front door: what other features may use of it (docs/ARCHITECTURE.md).
 * It grows as imports from elsewhere move here from the feature's inner files (issue 17).
 */

export { acknowledgeReport, closeReport, recordAction } from './handling.service.ts';
export { receiveReport } from './intake.service.ts';
export { type ReadableReport, reportColumns } from './report-columns.ts';

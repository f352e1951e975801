/**
 * The crisis-reports feature's front door: what other features may use of it (docs/ARCHITECTURE.md).
 * It grows as imports from elsewhere move here from the feature's inner files (issue 17).
 */

export { acknowledgeReport, closeReport, recordAction, recordNoCauseFinding } from './handling.service.ts';
export { addChannelForDistrict } from './inbound-channels.service.ts';
export { receiveReport } from './intake.service.ts';
export { pickLanguage } from './public.text.ts';
export { type ReadableReport, reportColumns } from './report-columns.ts';
export { storeReports } from './store.service.ts';

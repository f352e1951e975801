/**
 * The screening feature's front door: what other features may use of it (docs/ARCHITECTURE.md).
 */
export { recordStaffResult } from './consent.service.ts';
export { addSchoolDays, ageOn, daysBetween } from './eligibility.rules.ts';
export { shippedInstruments } from './library.ts';
export { importCommand } from './screening.cli.ts';

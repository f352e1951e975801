import { carriesReportingDuty } from '../../data/reports.values.ts';

export type Concern = { category: string; householdConcern: boolean; status: string };

/**
 * Whether messages to a student's guardians wait for a person: while a concern of abuse, neglect
 * or sexual assault that names the household is open. Telling the household first could warn the
 * person the concern is about, or put the student at risk (C.R.S. 19-3-304 investigations, and
 * the same reason a case may record "not calling the guardian"). Closed concerns no longer hold.
 */
export function familyContactHeld(concerns: readonly Concern[]): boolean {
  return concerns.some((c) => c.householdConcern && c.status !== 'closed' && carriesReportingDuty(c.category));
}

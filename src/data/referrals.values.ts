/** Where a referral comes from (plain values, shared with the web app). */
export const referralSources = ['case', 'screening', 'plan', 'direct'] as const;
/** How soon the student needs to be seen. */
export const referralUrgencies = ['routine', 'urgent', 'asap'] as const;

/** A referral's lifecycle, in FHIR Task states (docs/decisions/0012). */
export const taskStatuses = ['draft', 'requested', 'accepted', 'rejected', 'scheduled', 'in-progress', 'on-hold', 'completed', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** Where a referral comes from (plain values, shared with the web app). */
export const referralSources = ['case', 'screening', 'plan', 'direct'] as const;
/** How soon the student needs to be seen. */
export const referralUrgencies = ['routine', 'urgent', 'asap'] as const;

/** What kind of message to a family was held (plain values, shared with the web app). */
export const familyMessageKinds = ['screening_notice', 'emergency_screen_notice', 'referral_invitation', 'emergency_disclosure_notice'] as const;
export type FamilyMessageKind = (typeof familyMessageKinds)[number];

/** Roles on a crisis team; plain values shared with the web app. */
export const teamRoles = [
  'administrator',
  'counselor',
  'psychologist',
  'social_worker',
  'nurse',
  'community_partner',
  'caregiver_representative',
  'school_resource_officer',
] as const;

export const onCallPositions = ['primary', 'secondary'] as const;

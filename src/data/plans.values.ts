/** Support plan (MTSS) vocabularies shared by the server and the web app. */
export const tiers = [1, 2, 3] as const;
export const reviewDecisions = ['continue', 'intensify', 'step_down', 'close'] as const;
export const planStatuses = ['active', 'closed'] as const;

/** The library every district starts with; districts add their own. */
export const defaultInterventions = [
  { code: 'sel_curriculum', name: 'SEL curriculum' },
  { code: 'check_in_check_out', name: 'PBIS check-in/check-out' },
  { code: 'restorative_conference', name: 'Restorative conference' },
  { code: 'counseling_group', name: 'Counseling group' },
  { code: 'individual_counseling', name: 'Individual counseling' },
  { code: 'community_partner_service', name: 'Community partner service' },
  { code: 'classroom_accommodations', name: 'Classroom accommodations' },
  { code: 'trauma_informed_practices', name: 'Trauma-informed practices' },
] as const;

export const needReasons = ['high_risk_screen', 'crisis_case', 'reentry_plan', 'tier_3'] as const;

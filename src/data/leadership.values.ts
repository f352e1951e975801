/** Leadership vocabularies: plain values shared by the tables, the request schemas and the web app. */

/** Internal mental-health staff positions counted against need. */
export const staffRoles = ['counselor', 'psychologist', 'social_worker', 'nurse'] as const;

/** Funding streams a district tracks (federal relief, Title I and IV-A, Medicaid, state, local, settlements). */
export const fundingKinds = [
  'esser_i',
  'esser_ii',
  'esser_iii',
  'title_i',
  'title_iv_a',
  'medicaid_sbs',
  'state_grant',
  'local',
  'opioid_settlement',
  'other',
] as const;
/** What an allocation pays for. */
export const fundedKinds = ['staff_position', 'partner_contract', 'service'] as const;

export const trainingKinds = ['crisis_team', 'reporting_tool_staff', 'student_awareness', 'suicide_prevention', 'restorative_practices', 'other'] as const;

export const policyKinds = ['crisis_response_plan', 'mandatory_reporting', 'reentry', 'screening_consent', 'partner_data_sharing', 'other'] as const;

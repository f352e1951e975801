/**
 * The words of a crisis case, shared by the server and the web app (no database import).
 * Risk and protective factors follow SAMHSA's SAFE-T card.
 */
export const caseTypes = ['suicide_risk', 'self_harm', 'threat_to_others', 'abuse_neglect', 'other_crisis'] as const;
export const caseStatuses = ['open', 'assessing', 'safety_planning', 'monitoring', 'closed'] as const;
export const caseActions = ['start_assessing', 'start_safety_planning', 'start_monitoring', 'close', 'reopen'] as const;
export const riskLevels = ['low', 'moderate', 'high'] as const;
export const recordKinds = [
  'suicide_assessment',
  'threat_assessment',
  'safety_plan',
  'guardian_notice',
  'mandatory_report',
  'reentry_plan',
  'handoff',
  /** How the case ended: the outcome, the closing summary and the open tasks closing cancelled (one version per closing). */
  'closure',
] as const;
/**
 * How a case ended, chosen when it is closed (with a summary in words). A short list on purpose: a
 * crisis-team member closing on a phone picks one, and "other" is explained in the summary.
 */
export const caseOutcomes = ['resolved', 'referred_community_care', 'hospitalised', 'moved_away', 'other'] as const;
export const taskKinds = ['general', 'mandatory_report', 'check_in', 'reentry_meeting', 'guardian_notice'] as const;

export const riskFactors = [
  'prior_attempt',
  'current_ideation',
  'psychiatric_diagnosis',
  'substance_use',
  'hopelessness_agitation',
  'recent_loss_or_crisis',
  'bullying_or_victimization',
  'access_to_lethal_means',
  'family_history_of_suicide',
  'abuse_history',
  'social_isolation',
  'recent_discharge',
] as const;

export const protectiveFactors = [
  'connected_to_family',
  'connected_to_school',
  'reasons_for_living',
  'engaged_in_care',
  'coping_skills',
  'supportive_friends',
  'faith_or_culture',
] as const;

export const ideationLevels = ['none', 'passive', 'active'] as const;
export const behaviourLevels = ['none', 'more_than_3_months_ago', 'within_3_months'] as const;

/**
 * Comprehensive School Threat Assessment Guidelines (Cornell 2018): a threat is transient (resolved
 * by an apology or explanation) or substantive; a substantive threat is serious (to hit, fight or
 * hurt) or very serious (to kill, rape or cause very serious injury, or with a weapon).
 */
export const threatClassifications = ['transient', 'substantive'] as const;
export const threatSeverities = ['serious', 'very_serious'] as const;
/** The actions a substantive threat requires, in the order the guidelines take them. */
export const threatActions = ['protectiveActions', 'victimsNotified', 'guardiansNotified', 'lawEnforcement', 'safetyPlan'] as const;

/** The Stanley-Brown sections a safety plan must fill before it counts (the rest may stay empty). */
export const requiredPlanSections = ['warningSigns', 'copingStrategies', 'peopleToAsk', 'environmentSafety'] as const;

export const guardianMethods = ['phone', 'in_person', 'video', 'email', 'letter'] as const;
export const mandatoryAgencies = ['state_hotline', 'county_human_services', 'law_enforcement'] as const;
export const handoffTargets = ['colorado_crisis_services', '988', 'emergency_services_911', 'mobile_crisis', 'emergency_department'] as const;
export const handoffOutcomes = ['connected', 'transported', 'declined', 'no_answer', 'other'] as const;

/** Colorado's child abuse and neglect hotline (C.R.S. 19-3-304 reports). */
export const childAbuseHotline = { display: '1-844-CO-4-KIDS (1-844-264-5437)', tel: '+18442645437' };

/**
 * The seven quality domains of school mental health (their names are widely cited) with Haven's
 * own indicator wording; the original assessment's item text is copyrighted and not used. An
 * indicator with a `measure` is pre-filled from Haven's data; the team scores every indicator 1–6.
 */
export const domains = ['teaming', 'needs_assessment', 'screening', 'promotion', 'early_intervention', 'funding', 'impact'] as const;

export type Measure =
  | 'crisis_team_trained'
  | 'partners_with_agreement'
  | 'staffing_recorded'
  | 'screening_coverage'
  | 'positives_followed_in_time'
  | 'staff_reporting_trained'
  | 'referrals_seen'
  | 'plans_monitored'
  | 'reentry_plans_done'
  | 'funding_streams'
  | 'improved_on_rescreen';

export const indicators: { id: string; domain: (typeof domains)[number]; text: string; measure?: Measure }[] = [
  { id: 'teaming.trained', domain: 'teaming', text: 'Crisis team members have current crisis team training', measure: 'crisis_team_trained' },
  { id: 'teaming.partners', domain: 'teaming', text: 'Community partners work under current written agreements', measure: 'partners_with_agreement' },
  { id: 'teaming.family', domain: 'teaming', text: 'Students and families help shape the team’s work' },
  { id: 'needs.mapping', domain: 'needs_assessment', text: 'Internal staffing is mapped against need in every school', measure: 'staffing_recorded' },
  { id: 'needs.voice', domain: 'needs_assessment', text: 'The needs assessment includes student and family voice' },
  { id: 'screening.coverage', domain: 'screening', text: 'Students are screened universally', measure: 'screening_coverage' },
  {
    id: 'screening.followup',
    domain: 'screening',
    text: 'Positive screens are followed up within the district’s timeline',
    measure: 'positives_followed_in_time',
  },
  { id: 'promotion.reporting', domain: 'promotion', text: 'Staff are trained on the reporting tools', measure: 'staff_reporting_trained' },
  { id: 'promotion.climate', domain: 'promotion', text: 'School climate and staff wellbeing are supported and monitored' },
  { id: 'early.referrals', domain: 'early_intervention', text: 'Referred students reach a first appointment', measure: 'referrals_seen' },
  { id: 'early.monitoring', domain: 'early_intervention', text: 'Support plans have progress monitoring', measure: 'plans_monitored' },
  { id: 'early.reentry', domain: 'early_intervention', text: 'Re-entry plans are completed before crisis cases close', measure: 'reentry_plans_done' },
  { id: 'funding.streams', domain: 'funding', text: 'Services are funded from several streams (at least four is full marks)', measure: 'funding_streams' },
  { id: 'funding.sustainability', domain: 'funding', text: 'A sustainability plan covers services when a source ends' },
  { id: 'impact.rescreen', domain: 'impact', text: 'Students improve on rescreening', measure: 'improved_on_rescreen' },
  { id: 'impact.reported', domain: 'impact', text: 'Outcomes are reported to the board and community' },
];

/** A measured share (0–1) suggests a score on the 1–6 scale; the team may change it. */
export const suggestedScore = (share: number) => Math.min(6, Math.max(1, 1 + Math.round(share * 5)));

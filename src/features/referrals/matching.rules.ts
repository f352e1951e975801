/**
 * Matching a referral to partner services: hard filters first (what the student needs and can
 * use), then a ranked list that says why each candidate fits and what does not (`MatchReason`).
 * Pure, so every rule is a table test; the referral workflow (issue 6) calls it.
 */
export const serviceTypes = [
  'crisis_response',
  'counseling',
  'psychiatry',
  'substance_use',
  'family_support',
  'case_management',
  'telehealth',
  'school_based_clinic',
] as const;
export const modalities = ['in_person', 'telehealth', 'at_school'] as const;
export const insurances = ['medicaid', 'chp_plus', 'private', 'uninsured', 'sliding_fee'] as const;

export type Need = {
  serviceType: (typeof serviceTypes)[number];
  age: number;
  /** ISO 639-1 code of the family's language. */
  language: string;
  /** The family needs the service itself in that language (not only an interpreter). */
  languageRequired: boolean;
  insurance: (typeof insurances)[number];
  modality?: (typeof modalities)[number] | undefined;
  /** Cultural or faith competencies the family asked for. */
  competencies?: string[] | undefined;
};

export type Candidate = {
  id: string;
  name: string;
  status: string;
  serviceTypes: string[];
  modalities: string[];
  minimumAge: number | null;
  maximumAge: number | null;
  languages: string[];
  interpretation: boolean;
  insurance: string[];
  capacityAvailable: number | null;
  waitlistWeeks: number | null;
  agreementActive: boolean;
  competencies: string[];
};

/**
 * Why a service fits, falls short or is set aside: a code and its values (codes of the need, an
 * ISO 639 language code, numbers). The staff app says it in the reader's words, a language by its
 * name ("Urdu", "urdu"), never as a code.
 */
export type MatchReason =
  | { code: 'service_status'; values: { status: string } }
  | { code: 'type_not_offered'; values: { serviceType: string } }
  | { code: 'age_out_of_range'; values: { minimum: number; maximum: number | null; age: number } }
  | { code: 'language_not_provided' | 'language_provided' | 'language_via_interpreter' | 'language_unavailable'; values: { language: string } }
  | { code: 'insurance_not_taken' | 'takes_insurance'; values: { insurance: string } }
  | { code: 'modality_not_offered' | 'modality_offered'; values: { modality: string } }
  | { code: 'no_capacity' | 'no_agreement' | 'interpreter'; values: Record<string, never> }
  | { code: 'open_places'; values: { count: number } }
  | { code: 'waitlist'; values: { weeks: number } }
  | { code: 'competency' | 'competency_missing'; values: { competency: string } };

export type Match = { candidate: Candidate; score: number; fits: MatchReason[]; gaps: MatchReason[] };
export type Excluded = { candidate: Candidate; reasons: MatchReason[] };

export function matchServices(need: Need, candidates: Candidate[]): { ranked: Match[]; excluded: Excluded[] } {
  const ranked: Match[] = [];
  const excluded: Excluded[] = [];
  for (const c of candidates) {
    const reasons: MatchReason[] = [];
    if (c.status !== 'active') reasons.push({ code: 'service_status', values: { status: c.status } });
    if (!c.serviceTypes.includes(need.serviceType)) reasons.push({ code: 'type_not_offered', values: { serviceType: need.serviceType } });
    if ((c.minimumAge !== null && need.age < c.minimumAge) || (c.maximumAge !== null && need.age > c.maximumAge))
      reasons.push({ code: 'age_out_of_range', values: { minimum: c.minimumAge ?? 0, maximum: c.maximumAge, age: need.age } });
    const speaks = c.languages.includes(need.language);
    const language = { language: need.language };
    if (need.languageRequired && !speaks) reasons.push({ code: 'language_not_provided', values: language });
    if (!c.insurance.includes(need.insurance) && !(need.insurance === 'uninsured' && c.insurance.includes('sliding_fee')))
      reasons.push({ code: 'insurance_not_taken', values: { insurance: need.insurance } });
    if (need.modality && !c.modalities.includes(need.modality)) reasons.push({ code: 'modality_not_offered', values: { modality: need.modality } });
    const open = (c.capacityAvailable ?? 0) > 0;
    if (!open && c.waitlistWeeks === null) reasons.push({ code: 'no_capacity', values: {} });
    if (!c.agreementActive) reasons.push({ code: 'no_agreement', values: {} });
    if (reasons.length > 0) {
      excluded.push({ candidate: c, reasons });
      continue;
    }
    const fits: MatchReason[] = [];
    const gaps: MatchReason[] = [];
    let score = 0;
    if (speaks) {
      score += 3;
      fits.push({ code: 'language_provided', values: language });
    } else if (c.interpretation) {
      score += 1;
      fits.push({ code: 'interpreter', values: {} });
      gaps.push({ code: 'language_via_interpreter', values: language });
    } else gaps.push({ code: 'language_unavailable', values: language });
    if (open) {
      score += 2;
      fits.push({ code: 'open_places', values: { count: c.capacityAvailable ?? 0 } });
    } else {
      score -= Math.min(3, (c.waitlistWeeks ?? 0) / 4);
      gaps.push({ code: 'waitlist', values: { weeks: c.waitlistWeeks ?? 0 } });
    }
    fits.push({ code: 'takes_insurance', values: { insurance: need.insurance } });
    if (need.modality) fits.push({ code: 'modality_offered', values: { modality: need.modality } });
    for (const wanted of need.competencies ?? []) {
      if (c.competencies.includes(wanted)) {
        score += 1;
        fits.push({ code: 'competency', values: { competency: wanted } });
      } else gaps.push({ code: 'competency_missing', values: { competency: wanted } });
    }
    ranked.push({ candidate: c, score, fits, gaps });
  }
  ranked.sort((a, b) => b.score - a.score || a.candidate.name.localeCompare(b.candidate.name));
  return { ranked, excluded };
}

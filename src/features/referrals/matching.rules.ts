/**
 * Matching a referral to partner services: hard filters first (what the student needs and can
 * use), then a ranked list with a plain explanation of why each candidate fits and what does not.
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

export type Match = { candidate: Candidate; score: number; fits: string[]; gaps: string[] };
export type Excluded = { candidate: Candidate; reasons: string[] };

export function matchServices(need: Need, candidates: Candidate[]): { ranked: Match[]; excluded: Excluded[] } {
  const ranked: Match[] = [];
  const excluded: Excluded[] = [];
  for (const c of candidates) {
    const reasons: string[] = [];
    if (c.status !== 'active') reasons.push(`the service is ${c.status}`);
    if (!c.serviceTypes.includes(need.serviceType)) reasons.push(`does not offer ${need.serviceType.replaceAll('_', ' ')}`);
    if ((c.minimumAge !== null && need.age < c.minimumAge) || (c.maximumAge !== null && need.age > c.maximumAge))
      reasons.push(`serves ages ${c.minimumAge ?? 0}–${c.maximumAge ?? 'any'}, the student is ${need.age}`);
    const speaks = c.languages.includes(need.language);
    if (need.languageRequired && !speaks) reasons.push(`does not provide the service in the family's language (${need.language})`);
    if (!c.insurance.includes(need.insurance) && !(need.insurance === 'uninsured' && c.insurance.includes('sliding_fee')))
      reasons.push(`does not take ${need.insurance.replaceAll('_', ' ')}`);
    if (need.modality && !c.modalities.includes(need.modality)) reasons.push(`not offered ${need.modality.replace('_', ' ')}`);
    const open = (c.capacityAvailable ?? 0) > 0;
    if (!open && c.waitlistWeeks === null) reasons.push('no open places and no waitlist');
    if (!c.agreementActive) reasons.push('no current agreement with the district');
    if (reasons.length > 0) {
      excluded.push({ candidate: c, reasons });
      continue;
    }
    const fits: string[] = [];
    const gaps: string[] = [];
    let score = 0;
    if (speaks) {
      score += 3;
      fits.push(`provides the service in the family's language (${need.language})`);
    } else if (c.interpretation) {
      score += 1;
      fits.push('offers an interpreter');
      gaps.push(`not provided in ${need.language} directly`);
    } else gaps.push(`no service or interpreter in ${need.language}`);
    if (open) {
      score += 2;
      fits.push(`${c.capacityAvailable} open place${c.capacityAvailable === 1 ? '' : 's'} now`);
    } else {
      score -= Math.min(3, (c.waitlistWeeks ?? 0) / 4);
      gaps.push(`waitlist of about ${c.waitlistWeeks} week${c.waitlistWeeks === 1 ? '' : 's'}`);
    }
    fits.push(`takes ${need.insurance.replaceAll('_', ' ')}`);
    if (need.modality) fits.push(`offered ${need.modality.replace('_', ' ')}`);
    for (const wanted of need.competencies ?? []) {
      if (c.competencies.includes(wanted)) {
        score += 1;
        fits.push(`${wanted.replaceAll('_', ' ')} competency`);
      } else gaps.push(`no stated ${wanted.replaceAll('_', ' ')} competency`);
    }
    ranked.push({ candidate: c, score, fits, gaps });
  }
  ranked.sort((a, b) => b.score - a.score || a.candidate.name.localeCompare(b.candidate.name));
  return { ranked, excluded };
}

import { describe, expect, it } from 'vitest';
import { type Candidate, type MatchReason, matchServices, type Need } from './matching.rules.ts';

const base: Candidate = {
  id: 'x',
  name: 'x',
  status: 'active',
  serviceTypes: ['counseling'],
  modalities: ['in_person', 'telehealth'],
  minimumAge: 5,
  maximumAge: 18,
  languages: ['en'],
  interpretation: false,
  insurance: ['medicaid', 'private'],
  capacityAvailable: 2,
  waitlistWeeks: null,
  agreementActive: true,
  competencies: [],
};
const need: Need = { serviceType: 'counseling', age: 13, language: 'es', languageRequired: false, insurance: 'medicaid', modality: 'telehealth' };

describe('matching a referral to partner services', () => {
  it('ranks a Spanish-speaking Medicaid provider with capacity first, and says why', () => {
    const spanish = { ...base, id: 'a', name: 'Clínica Esperanza', languages: ['en', 'es'] };
    const interpreter = { ...base, id: 'b', name: 'Front Range Counseling', interpretation: true };
    const waitlist = { ...base, id: 'c', name: 'Aurora Family Center', languages: ['es'], capacityAvailable: 0, waitlistWeeks: 6 };
    const { ranked } = matchServices(need, [waitlist, interpreter, spanish]);
    expect(ranked.map((m) => m.candidate.name)).toEqual(['Clínica Esperanza', 'Front Range Counseling', 'Aurora Family Center']);
    expect(ranked[0]).toMatchObject({
      fits: [
        { code: 'language_provided', values: { language: 'es' } },
        { code: 'open_places', values: { count: 2 } },
        { code: 'takes_insurance', values: { insurance: 'medicaid' } },
        { code: 'modality_offered', values: { modality: 'telehealth' } },
      ],
      gaps: [],
    });
    expect(ranked[1]?.fits[0]).toEqual({ code: 'interpreter', values: {} });
    expect(ranked[1]?.gaps).toEqual([{ code: 'language_via_interpreter', values: { language: 'es' } }]);
    expect(ranked[2]?.gaps).toEqual([{ code: 'waitlist', values: { weeks: 6 } }]);
  });

  it.each([
    ['another service type', { serviceTypes: ['psychiatry'] }, { code: 'type_not_offered', values: { serviceType: 'counseling' } }],
    ['too old', { maximumAge: 12 }, { code: 'age_out_of_range', values: { minimum: 5, maximum: 12, age: 13 } }],
    ['too young', { minimumAge: 14, maximumAge: null }, { code: 'age_out_of_range', values: { minimum: 14, maximum: null, age: 13 } }],
    ['no Medicaid', { insurance: ['private'] }, { code: 'insurance_not_taken', values: { insurance: 'medicaid' } }],
    ['no telehealth', { modalities: ['in_person'] }, { code: 'modality_not_offered', values: { modality: 'telehealth' } }],
    ['full with no waitlist', { capacityAvailable: 0 }, { code: 'no_capacity', values: {} }],
    ['no agreement', { agreementActive: false }, { code: 'no_agreement', values: {} }],
    ['closed', { status: 'inactive' }, { code: 'service_status', values: { status: 'inactive' } }],
  ] as [string, Partial<Candidate>, MatchReason][])('excludes a service with %s, and says so', (_name, change, reason) => {
    const { ranked, excluded } = matchServices(need, [{ ...base, ...change }]);
    expect(ranked).toEqual([]);
    expect(excluded[0]?.reasons).toEqual([reason]);
  });

  it('requires the language itself when the family needs it, and accepts a sliding fee for the uninsured', () => {
    // The language is a code the staff app names ("Spanish", "español"), never shown as "es".
    expect(matchServices({ ...need, languageRequired: true }, [{ ...base, interpretation: true }]).excluded[0]?.reasons).toEqual([
      { code: 'language_not_provided', values: { language: 'es' } },
    ]);
    expect(matchServices({ ...need, insurance: 'uninsured' }, [{ ...base, insurance: ['sliding_fee'] }]).ranked).toHaveLength(1);
  });

  it('says when no one offers the family’s language, not even an interpreter', () => {
    expect(matchServices(need, [base]).ranked[0]?.gaps).toEqual([{ code: 'language_unavailable', values: { language: 'es' } }]);
  });

  it('counts a cultural or faith competency the family asked for', () => {
    const { ranked } = matchServices({ ...need, competencies: ['latino_families'] }, [
      { ...base, id: 'a', name: 'A', languages: ['es'] },
      { ...base, id: 'b', name: 'B', languages: ['es'], competencies: ['latino_families'] },
    ]);
    expect(ranked.map((m) => m.candidate.name)).toEqual(['B', 'A']);
    expect(ranked[0]?.fits).toContainEqual({ code: 'competency', values: { competency: 'latino_families' } });
    expect(ranked[1]?.gaps).toEqual([{ code: 'competency_missing', values: { competency: 'latino_families' } }]);
  });
});

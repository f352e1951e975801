import { describe, expect, it } from 'vitest';
import { type Candidate, matchServices, type Need } from './matching.rules.ts';

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
      fits: ["provides the service in the family's language (es)", '2 open places now', 'takes medicaid', 'offered telehealth'],
      gaps: [],
    });
    expect(ranked[2]?.gaps).toEqual(['waitlist of about 6 weeks']);
  });

  it.each([
    ['another service type', { serviceTypes: ['psychiatry'] }, 'does not offer counseling'],
    ['too old', { maximumAge: 12 }, 'serves ages 5–12, the student is 13'],
    ['no Medicaid', { insurance: ['private'] }, 'does not take medicaid'],
    ['no telehealth', { modalities: ['in_person'] }, 'not offered telehealth'],
    ['full with no waitlist', { capacityAvailable: 0 }, 'no open places and no waitlist'],
    ['no agreement', { agreementActive: false }, 'no current agreement with the district'],
    ['closed', { status: 'inactive' }, 'the service is inactive'],
  ])('excludes a service with %s, and says so', (_name, change, reason) => {
    const { ranked, excluded } = matchServices(need, [{ ...base, ...change }]);
    expect(ranked).toEqual([]);
    expect(excluded[0]?.reasons).toEqual([reason]);
  });

  it('requires the language itself when the family needs it, and accepts a sliding fee for the uninsured', () => {
    expect(matchServices({ ...need, languageRequired: true }, [{ ...base, interpretation: true }]).excluded[0]?.reasons).toEqual([
      "does not provide the service in the family's language (es)",
    ]);
    expect(matchServices({ ...need, insurance: 'uninsured' }, [{ ...base, insurance: ['sliding_fee'] }]).ranked).toHaveLength(1);
  });

  it('counts a cultural or faith competency the family asked for', () => {
    const { ranked } = matchServices({ ...need, competencies: ['latino_families'] }, [
      { ...base, id: 'a', name: 'A', languages: ['es'] },
      { ...base, id: 'b', name: 'B', languages: ['es'], competencies: ['latino_families'] },
    ]);
    expect(ranked.map((m) => m.candidate.name)).toEqual(['B', 'A']);
    expect(ranked[1]?.gaps).toEqual(['no stated latino families competency']);
  });
});

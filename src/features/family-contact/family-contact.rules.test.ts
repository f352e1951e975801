import { describe, expect, it } from 'vitest';
import { familyContactHeld } from './family-contact.rules.ts';

describe('messages to the family wait for a person while a concern names the household', () => {
  it.each([
    ['an open abuse concern about the household', [{ category: 'abuse_neglect', householdConcern: true, status: 'received' }], true],
    ['acknowledged, still open', [{ category: 'abuse_neglect', householdConcern: true, status: 'acknowledged' }], true],
    ['sexual assault naming the household', [{ category: 'sexual_assault_dating_violence', householdConcern: true, status: 'received' }], true],
    ['closed: the family may be told again', [{ category: 'abuse_neglect', householdConcern: true, status: 'closed' }], false],
    ['abuse outside the home (a coach)', [{ category: 'abuse_neglect', householdConcern: false, status: 'received' }], false],
    ['another category, even if it mentions home', [{ category: 'bullying_harassment', householdConcern: true, status: 'received' }], false],
    ['no concern', [], false],
  ] as const)('%s', (_name, concerns, held) => {
    expect(familyContactHeld(concerns)).toBe(held);
  });
});

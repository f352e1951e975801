import { describe, expect, it } from 'vitest';
import { projectedWait, serviceAvailability } from './capacity.rules.ts';

describe('one service, as the partner reported it', () => {
  it.each([
    ['3 open places, no waitlist', { capacityAvailable: 3, waitlistWeeks: null }, { kind: 'open', places: 3 }],
    ['3 open places, waitlist 0 weeks', { capacityAvailable: 3, waitlistWeeks: 0 }, { kind: 'open', places: 3 }],
    ['no open places, no waitlist given', { capacityAvailable: 0, waitlistWeeks: null }, { kind: 'full' }],
    ['no open places, waitlist 0 weeks', { capacityAvailable: 0, waitlistWeeks: 0 }, { kind: 'full' }],
    ['no open places, a 6-week waitlist', { capacityAvailable: 0, waitlistWeeks: 6 }, { kind: 'waitlist', weeks: 6 }],
    ['places and a 4-week waitlist: the waitlist wins', { capacityAvailable: 2, waitlistWeeks: 4 }, { kind: 'waitlist', weeks: 4 }],
    ['a waitlist with places not given', { capacityAvailable: null, waitlistWeeks: 3 }, { kind: 'waitlist', weeks: 3 }],
    ['a 0-week waitlist with places not given', { capacityAvailable: null, waitlistWeeks: 0 }, { kind: 'unknown' }],
    ['nothing reported', { capacityAvailable: null, waitlistWeeks: null }, { kind: 'unknown' }],
  ] as const)('%s', (_name, service, expected) => {
    expect(serviceAvailability(service)).toEqual(expected);
  });
});

describe('the projected wait for a type of service', () => {
  const open = (n: number) => ({ capacityAvailable: n, waitlistWeeks: null });
  it.each([
    ['places left after everyone waiting', [open(5)], 2, { kind: 'no_wait', placesLeft: 3 }],
    ['as many waiting as places: the next one waits', [open(3)], 3, { kind: 'full' }],
    ['no open places and nobody waiting is not "no wait"', [open(0)], 0, { kind: 'full' }],
    ['a waitlist and nobody waiting is not "no wait"', [{ capacityAvailable: 0, waitlistWeeks: 6 }], 0, { kind: 'waitlist', weeks: 6 }],
    ['places reported beside a waitlist are not free places', [{ capacityAvailable: 4, waitlistWeeks: 2 }], 0, { kind: 'waitlist', weeks: 2 }],
    ['one service open, another on a waitlist: places are left', [open(2), { capacityAvailable: 0, waitlistWeeks: 8 }], 1, { kind: 'no_wait', placesLeft: 1 }],
    [
      'the open places are taken: the shortest waitlist',
      [open(2), { capacityAvailable: 0, waitlistWeeks: 8 }, { capacityAvailable: null, waitlistWeeks: 5 }],
      2,
      { kind: 'waitlist', weeks: 5 },
    ],
    ['nothing reported by any service', [{ capacityAvailable: null, waitlistWeeks: null }], 0, { kind: 'unknown' }],
    ['no services of the type', [], 0, { kind: 'unknown' }],
  ] as const)('%s', (_name, services, waiting, expected) => {
    expect(projectedWait(services, waiting)).toEqual(expected);
  });
});

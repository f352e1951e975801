/**
 * What a counselor or a leader may expect from a partner's capacity as the partner reported it:
 * open places, and a waitlist in weeks. Pure, so the rule is a table test, and one rule gives the
 * directory's words and the capacity dashboard's projected wait. A service is "open" only with
 * places and no waitlist: a waitlist the partner reports wins over places they forgot to clear, and
 * no open places never reads as "no wait".
 */
export type ServiceCapacity = { capacityAvailable: number | null; waitlistWeeks: number | null };

export type Availability =
  /** Open places now, and no waitlist. */
  | { kind: 'open'; places: number }
  /** A waitlist of about this many weeks (any places reported are for those already waiting). */
  | { kind: 'waitlist'; weeks: number }
  /** No open places, and no waitlist given: a wait of unknown length. */
  | { kind: 'full' }
  /** The partner reported neither. */
  | { kind: 'unknown' };

/** One service's availability, as reported. A waitlist of 0 weeks with no places given says nothing about places. */
export function serviceAvailability(s: ServiceCapacity): Availability {
  if (s.waitlistWeeks !== null && s.waitlistWeeks > 0) return { kind: 'waitlist', weeks: s.waitlistWeeks };
  if (s.capacityAvailable !== null && s.capacityAvailable > 0) return { kind: 'open', places: s.capacityAvailable };
  if (s.capacityAvailable === 0) return { kind: 'full' };
  return { kind: 'unknown' };
}

export type ProjectedWait =
  /** Places left over after everyone already waiting: a new referral is seen without a wait. */
  { kind: 'no_wait'; placesLeft: number } | { kind: 'waitlist'; weeks: number } | { kind: 'full' } | { kind: 'unknown' };

/**
 * The projected wait for a new referral to a type of service: students already waiting take the
 * open places first; "no wait" only when places are left after them. Otherwise the shortest
 * waitlist of the type, or "full" (no places, no waitlist given), or "unknown".
 */
export function projectedWait(services: readonly ServiceCapacity[], waiting: number): ProjectedWait {
  const each = services.map(serviceAvailability);
  const places = each.reduce((n, a) => n + (a.kind === 'open' ? a.places : 0), 0);
  if (places > waiting) return { kind: 'no_wait', placesLeft: places - waiting };
  const weeks = each.flatMap((a) => (a.kind === 'waitlist' ? [a.weeks] : []));
  if (weeks.length > 0) return { kind: 'waitlist', weeks: Math.min(...weeks) };
  if (each.some((a) => a.kind === 'open' || a.kind === 'full')) return { kind: 'full' };
  return { kind: 'unknown' };
}

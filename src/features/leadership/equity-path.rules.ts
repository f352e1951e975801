/**
 * The equity path as a true funnel (reference: equity-methods.md, "The path"): each step's
 * denominator is the set of students who reached the step before it, never every student. So a
 * grade that was never offered screening has no one eligible to be screened, and no ratio is made
 * of its zero (a risk ratio of 1,589 "screened, against everyone else" was only the grades that were
 * offered against those that were not). Pure: the counts in, the levels per student out.
 */

/**
 * The populations counted per group. Each one after `enrolled` is a step, and each step's students
 * are a subset of the population it is taken of (`eligibleFor`), so reached ≤ eligible always.
 */
export const levels = [
  'enrolled',
  'offered_screening',
  'screened',
  'positive',
  'follow_up_due',
  'followed_up_in_time',
  'referred',
  'first_appointment',
  'reported',
  'plan_in_place',
  'improved',
] as const;
export type Level = (typeof levels)[number];
export type Step = Exclude<Level, 'enrolled'>;

/** Each step's denominator: the population whose students are eligible for it. */
export const eligibleFor: Record<Step, Level> = {
  offered_screening: 'enrolled',
  screened: 'offered_screening',
  positive: 'screened',
  follow_up_due: 'positive',
  followed_up_in_time: 'follow_up_due',
  referred: 'followed_up_in_time',
  first_appointment: 'referred',
  reported: 'enrolled',
  plan_in_place: 'positive',
  improved: 'positive',
};

/** The funnel, in order: each step is taken of the one before it. */
export const path: readonly Step[] = ['offered_screening', 'screened', 'positive', 'followed_up_in_time', 'referred', 'first_appointment'];

/**
 * Measures beside the funnel, each with its own stated denominator: being reported about (of every
 * student: reports and crisis cases are another way into care), and, of the students who screened
 * positive, a support plan in place and a lower score on a later screen.
 */
export const alongside: readonly Step[] = ['reported', 'plan_in_place', 'improved'];

export const steps: readonly Step[] = [...path, ...alongside];

/**
 * Every population after `enrolled`, parents first: the shown steps, and `follow_up_due` (the
 * positives whose follow-up was due by now, or done), which is only ever a denominator. A positive
 * screen from yesterday whose follow-up is due next week is not yet late, so it must not count
 * against "followed up in time".
 */
const populations = levels.filter((l): l is Step => l !== 'enrolled');

/** The populations whose denominator is this level (its children in the tree of populations). */
export const childrenOf = (level: Level): Step[] => populations.filter((s) => eligibleFor[s] === level);

/** What happened to one student over the year, as the path query reads it. */
export type StudentFacts = {
  /** In a screening window's schools and grades during the year. */
  inWindow: boolean;
  screened: boolean;
  positive: boolean;
  /** Followed up, or the follow-up's due day has passed in the district's time zone. */
  followUpDue: boolean;
  followedUpInTime: boolean;
  referred: boolean;
  seen: boolean;
  reported: boolean;
  plan: boolean;
  improved: boolean;
};

/**
 * The levels a student reached. A step counts only when its denominator was reached too, which
 * makes the funnel true: a referral after a late follow-up is not "referred" in the funnel (it is
 * in the referral measures), and a student screened outside a window (typed in by staff, or an
 * emergency screen) was offered screening by being screened.
 */
export function levelsOf(f: StudentFacts): Set<Level> {
  const fact: Record<Step, boolean> = {
    offered_screening: f.inWindow || f.screened,
    screened: f.screened,
    positive: f.positive,
    follow_up_due: f.followUpDue,
    followed_up_in_time: f.followedUpInTime,
    referred: f.referred,
    first_appointment: f.seen,
    reported: f.reported,
    plan_in_place: f.plan,
    improved: f.improved,
  };
  const reached = new Set<Level>(['enrolled']);
  // `populations` lists every parent before its children.
  for (const step of populations) if (fact[step] && reached.has(eligibleFor[step])) reached.add(step);
  return reached;
}

/** A count per level: one group's, or the district's. */
export type LevelCounts = Record<Level, number>;

export const noCounts = (): LevelCounts => Object.fromEntries(levels.map((l) => [l, 0])) as LevelCounts;

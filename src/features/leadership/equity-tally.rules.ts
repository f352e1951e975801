import { districtDay } from '../../platform/time-zone.ts';
import { federalCategory } from './equity.rules.ts';
import { eligibleFor, type LevelCounts, levels, levelsOf, noCounts, type Step } from './equity-path.rules.ts';
import type { EquityCounts, Hist } from './equity-view.rules.ts';

/**
 * The equity rollup as additive tallies (issue 20, decision 43). A tally holds only counts: of
 * students per level of the funnel, per group, and of waits per rounded length. Tallies of
 * disjoint sets of students add up to the tally of their union, so the rollup keeps one tally per
 * slice of the district's students and recomputes only the slices that changed. Pure: rows in,
 * counts out.
 */

/** One student over the last year: who they are (for grouping) and what happened. */
export type PathRow = {
  grade: string;
  homeLanguage: string;
  englishLearner: boolean;
  iep: boolean;
  section504: boolean;
  freeReducedLunch: boolean;
  homeless: boolean;
  fosterCare: boolean;
  raceEthnicity: string[];
  gender: string;
  inWindow: boolean;
  reported: boolean;
  screened: boolean;
  positive: boolean;
  dueOn: string | null;
  positiveAt: Date | null;
  followedUpAt: Date | null;
  referredAt: Date | null;
  seenAt: Date | null;
  plan: boolean;
  improved: boolean | null;
  /** Referrals in the period, and how many of them went to a service in the student's home language. */
  referrals: number;
  inLanguage: number;
};

type Counts = Record<string, number>;
export type Tally = {
  totals: LevelCounts;
  /** dimension → group → counts per level */
  groups: Record<string, Record<string, LevelCounts>>;
  /** step → waits keyed `days|served` (days in tenths), overall and per dimension and group */
  waits: Record<string, { overall: Counts; groups: Record<string, Record<string, Counts>> }>;
  languageAccess: Record<string, { referrals: number; inLanguage: number }>;
};

const gradeBand = (grade: string) => (['PK', 'K', '1', '2', '3', '4', '5'].includes(grade) ? 'K-5' : ['6', '7', '8'].includes(grade) ? '6-8' : '9-12');
const yes = (flag: boolean) => (flag ? 'yes' : 'no');

/** The group a student belongs to in each dimension; a student is in one group per dimension, several in all. */
const dimensions: Record<string, (r: PathRow) => string> = {
  race_ethnicity: (r) => federalCategory(r.raceEthnicity),
  home_language: (r) => r.homeLanguage,
  english_learner: (r) => yes(r.englishLearner),
  iep: (r) => yes(r.iep),
  section_504: (r) => yes(r.section504),
  free_reduced_lunch: (r) => yes(r.freeReducedLunch),
  homeless: (r) => yes(r.homeless),
  foster_care: (r) => yes(r.fosterCare),
  gender: (r) => r.gender,
  grade_band: (r) => gradeBand(r.grade),
};

const days = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 86_400_000);

/** Waits counted, for the students eligible for each of these steps (still waiting: censored at now). */
const waitSteps: { step: Step; wait: (r: PathRow, now: Date) => { days: number; served: boolean } }[] = [
  {
    step: 'followed_up_in_time',
    wait: (r, now) => ({ days: days(r.positiveAt ?? now, r.followedUpAt ?? now), served: r.followedUpAt !== null }),
  },
  { step: 'first_appointment', wait: (r, now) => ({ days: days(r.referredAt ?? now, r.seenAt ?? now), served: r.seenAt !== null }) },
];

export const emptyTally = (): Tally => ({
  totals: noCounts(),
  groups: Object.fromEntries(Object.keys(dimensions).map((d) => [d, {}])),
  waits: Object.fromEntries(waitSteps.map(({ step }) => [step, { overall: {}, groups: Object.fromEntries(Object.keys(dimensions).map((d) => [d, {}])) }])),
  languageAccess: {},
});

const bump = (counts: Counts, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};
const within = <T>(map: Record<string, T>, key: string, create: () => T): T => {
  map[key] ??= create();
  return map[key];
};

/** Counts every level each student reached, per group, and their waits; `now` censors who still waits. */
export function tally(rows: readonly PathRow[], now: Date, timeZone: string): Tally {
  const into = emptyTally();
  const today = districtDay(now, timeZone);
  for (const r of rows) {
    // A positive flagged by an alert alone has no due day: it was due the day it was given.
    const dueOn = r.dueOn ?? districtDay(r.positiveAt ?? now, timeZone);
    const reached = levelsOf({
      inWindow: r.inWindow,
      screened: r.screened,
      positive: r.positive,
      followUpDue: r.followedUpAt !== null || dueOn < today,
      followedUpInTime: r.followedUpAt !== null && districtDay(r.followedUpAt, timeZone) <= dueOn,
      referred: r.referredAt !== null,
      seen: r.seenAt !== null,
      reported: r.reported,
      plan: r.plan,
      improved: r.improved === true,
    });
    // Language access: for families whose home language is not English, referrals sent to a service in it.
    if (r.homeLanguage !== 'en' && r.referrals > 0) {
      const access = within(into.languageAccess, r.homeLanguage, () => ({ referrals: 0, inLanguage: 0 }));
      access.referrals += r.referrals;
      access.inLanguage += r.inLanguage;
    }
    const memberOf = Object.entries(dimensions).map(([dimension, groupOf]) => [dimension, groupOf(r)] as const);
    for (const level of reached) into.totals[level] += 1;
    for (const [dimension, group] of memberOf) {
      const counts = within(
        within(into.groups, dimension, () => ({})),
        group,
        noCounts,
      );
      for (const level of reached) counts[level] += 1;
    }
    for (const { step, wait } of waitSteps) {
      if (!reached.has(eligibleFor[step])) continue;
      const w = wait(r, now);
      const key = `${Math.round(w.days * 10) / 10}|${w.served ? 1 : 0}`;
      const waits = into.waits[step] as Tally['waits'][string];
      bump(waits.overall, key);
      for (const [dimension, group] of memberOf)
        bump(
          within(
            within(waits.groups, dimension, () => ({})),
            group,
            () => ({}),
          ),
          key,
        );
    }
  }
  return into;
}

/** Adds `from` into `into` (the tallies must be of different students). */
export function addTally(into: Tally, from: Tally): Tally {
  for (const level of levels) into.totals[level] += from.totals[level] ?? 0;
  for (const [dimension, groups] of Object.entries(from.groups)) {
    const target = within(into.groups, dimension, () => ({}));
    for (const [group, counts] of Object.entries(groups)) {
      const sum = within(target, group, noCounts);
      for (const level of levels) sum[level] += counts[level] ?? 0;
    }
  }
  for (const [step, waits] of Object.entries(from.waits)) {
    const target = within(into.waits, step, () => ({ overall: {}, groups: {} }));
    for (const [key, n] of Object.entries(waits.overall)) bump(target.overall, key, n);
    for (const [dimension, groups] of Object.entries(waits.groups)) {
      const byGroup = within(target.groups, dimension, () => ({}));
      for (const [group, hist] of Object.entries(groups)) {
        const sum = within(byGroup, group, () => ({}));
        for (const [key, n] of Object.entries(hist)) bump(sum, key, n);
      }
    }
  }
  for (const [language, l] of Object.entries(from.languageAccess)) {
    const sum = within(into.languageAccess, language, () => ({ referrals: 0, inLanguage: 0 }));
    sum.referrals += l.referrals;
    sum.inLanguage += l.inLanguage;
  }
  return into;
}

const histogram = (counts: Counts): Hist =>
  Object.entries(counts).map(([key, count]) => {
    const [d, served] = key.split('|');
    return [Number(d), served === '1' ? 1 : 0, count];
  });

/** The stored shape the dashboard reads (equity-view.rules.ts): groups largest first, waits by group name. */
export function countsOf(t: Tally, since: Date): EquityCounts {
  const dims = Object.keys(dimensions);
  return {
    version: 3,
    since: since.toISOString(),
    totals: t.totals,
    dimensions: dims.map((dimension) => ({
      dimension,
      groups: Object.entries(t.groups[dimension] ?? {})
        .map(([group, counts]) => ({ group, counts }))
        .sort((a, b) => b.counts.enrolled - a.counts.enrolled || a.group.localeCompare(b.group)),
    })),
    waits: waitSteps.map(({ step }) => ({
      step,
      overall: histogram(t.waits[step]?.overall ?? {}),
      dimensions: dims.map((dimension) => ({
        dimension,
        groups: Object.entries(t.waits[step]?.groups[dimension] ?? {})
          .map(([group, counts]) => ({ group, hist: histogram(counts) }))
          .sort((a, b) => a.group.localeCompare(b.group)),
      })),
    })),
    languageAccess: Object.entries(t.languageAccess)
      .map(([group, l]) => ({ group, reached: l.inLanguage, eligible: l.referrals }))
      .sort((a, b) => b.eligible - a.eligible || a.group.localeCompare(b.group)),
  };
}

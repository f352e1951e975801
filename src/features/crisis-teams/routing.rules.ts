import { type ChainStep, stepName } from './escalation.rules.ts';
import { type Override, onCallAt, type Shift } from './on-call.rules.ts';

export type Member = { id: string; userId: string | null; name: string; teamRole: string; email: string | null; phone: string | null; active: boolean };
export type TeamRoster = { members: Member[]; shifts: Shift[]; overrides: Override[] };
export type RoutingContext = {
  timeZone: string;
  schoolName: string | null;
  schoolTeam: TeamRoster | null;
  districtTeam: TeamRoster | null;
  /** The district's after-hours on-call, in order (active members only). */
  afterHours: Member[];
};

function onCall(team: TeamRoster | null, at: Date, timeZone: string, positions: ('primary' | 'secondary')[]): Member[] {
  if (!team) return [];
  const now = onCallAt(team.shifts, team.overrides, at, timeZone);
  return positions
    .map((position) => now[position])
    .filter((id): id is string => id !== null)
    .map((id) => team.members.find((m) => m.id === id && m.active))
    .filter((m): m is Member => m !== undefined);
}

/**
 * Who is alerted at a step of the chain: the school team's primary, then its secondary, then the
 * school's administrators on its team, then the district team's on-call pair. A report with no
 * known school starts at the district team. Outside school hours an alert with a safety flag
 * also goes to the district's after-hours on-call at every step: the school team's rota may have
 * nobody on it at night, and the chain must reach a person until one acknowledges.
 */
export function recipientsAt(step: number, context: RoutingContext, at: Date, options: { afterHours?: boolean } = {}): { step: ChainStep; members: Member[] } {
  const found = chainRecipientsAt(step, context, at);
  if (!options.afterHours) return found;
  const members = [...found.members];
  for (const m of context.afterHours) if (!members.some((x) => x.id === m.id)) members.push(m);
  return { step: found.step, members };
}

function chainRecipientsAt(step: number, context: RoutingContext, at: Date): { step: ChainStep; members: Member[] } {
  const name = stepName(step);
  const school = context.schoolTeam;
  switch (name) {
    case 'primary':
      return { step: name, members: onCall(school ?? context.districtTeam, at, context.timeZone, ['primary']) };
    case 'secondary':
      return { step: name, members: onCall(school ?? context.districtTeam, at, context.timeZone, ['secondary']) };
    case 'school_administrator':
      return { step: name, members: (school?.members ?? []).filter((m) => m.active && m.teamRole === 'administrator') };
    case 'district_on_call':
      return { step: name, members: onCall(context.districtTeam, at, context.timeZone, ['primary', 'secondary']) };
  }
}

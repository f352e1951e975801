import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { InstrumentList } from '../../../src/features/screening/screening.schema';
import { api } from '../api';

/**
 * Words for the codes the server sends, so no raw code (`staff_concern`, `in_app`,
 * `America/Denver`) reaches the screen. An unknown code falls back to a generic word, never to
 * itself.
 */
export const channelLabel = (t: TFunction, channel: string) => t(`channels.${channel}`, { defaultValue: t('channels.other') });
/** A grade as the roster gave it; `unknown` when the roster left it blank (OneRoster makes it optional). */
export const gradeLabel = (t: TFunction, grade: string) => (grade === 'unknown' ? t('students.gradeUnknown') : grade);
/**
 * Who did something, as the audit trail recorded it: "Sam Okafor (crisis_team, counselor)". The role
 * codes are put in the reader's words; a label of another shape (a system job, a reporter) is shown
 * as it is.
 */
export function actorWords(t: TFunction, label: string): string {
  const match = /^(.*) \(([a-z_]+(?:, [a-z_]+)*)\)$/.exec(label);
  if (!match) return label;
  const roles = (match[2] as string).split(', ');
  if (!roles.every((role) => ['district_admin', 'school_admin', 'counselor', 'crisis_team', 'staff', 'partner', 'analyst'].includes(role))) return label;
  return `${match[1]} (${roles.map((role) => t(`account.roleNames.${role}`)).join(', ')})`;
}
/** How a guardian is related to the student ("Mother", "Madre"); an unknown code reads as "Other". */
export const relationshipLabel = (t: TFunction, relationship: string) =>
  t(`profile.relationships.${relationship}`, { defaultValue: t('profile.relationships.other') });
/** A student's gender as the roster gave it, in words; an unknown code reads as "Not stated". */
export const genderLabel = (t: TFunction, gender: string) => t(`profile.genders.${gender}`, { defaultValue: t('profile.genders.unspecified') });
export const teamRoleLabel = (t: TFunction, role: string) => t(`teams.roles.${role}`, { defaultValue: t('teams.roles.other') });

/** A time zone by its name in the reader's language ("Mountain Time", "hora de las Montañas Rocosas"). */
export function timeZoneName(timeZone: string, language: string): string {
  try {
    const part = new Intl.DateTimeFormat(language, { timeZone, timeZoneName: 'longGeneric' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName');
    return part?.value ?? timeZone;
  } catch {
    return timeZone;
  }
}

/** The full name of a weekday, 0 = Sunday, in the reader's language. */
export function weekdayName(weekday: number, language: string): string {
  // 7 January 2024 was a Sunday.
  return new Date(Date.UTC(2024, 0, 7 + weekday, 12)).toLocaleDateString(language, { weekday: 'long', timeZone: 'UTC' });
}

/** A calendar date (YYYY-MM-DD) as the reader writes it, with no time-zone shift. */
export function dayLabel(day: string, language: string): string {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  return new Date(Date.UTC(y, m - 1, d, 12)).toLocaleDateString(language, { dateStyle: 'medium', timeZone: 'UTC' });
}

/**
 * An instrument's short name ("PHQ-A", "ASQ") and its full title in the reader's language, from
 * the instrument library; while the library loads, the id in capitals.
 */
export function useInstrumentNames() {
  const { i18n } = useTranslation();
  const instruments = useQuery({
    queryKey: ['instruments'],
    queryFn: () => api<InstrumentList>('GET', '/api/v1/instruments'),
    staleTime: 10 * 60_000,
  });
  const byId = new Map((instruments.data ?? []).map((i) => [i.id, i]));
  return {
    name: (id: string) => byId.get(id)?.name ?? id.toUpperCase(),
    title: (id: string) => {
      const found = byId.get(id);
      return found ? (found.title[i18n.language] ?? found.title.en ?? found.name) : id.toUpperCase();
    },
  };
}

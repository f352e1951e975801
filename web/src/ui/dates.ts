import { useTranslation } from 'react-i18next';
import { parseMoment } from '../../../src/platform/time-zone';
import { useSession } from '../session';
import { dayLabel } from './labels';

/**
 * One way to write dates in the staff app, in the reader's language: a moment as
 * "Dec 7, 2026, 9:00 AM" ("7 dic 2026, 9:00"), a calendar day as "Dec 7, 2026". Moments are read
 * on the district's clock, never the browser's: a check-in due at 9:00 in Denver is due at 9:00 for
 * a counselor whose laptop is still on another zone, and the duties' deadlines (end of the school
 * day, 24 hours) are the district's. Without a known zone, the browser's is the fallback.
 */
export function momentLabel(iso: string, language: string, timeZone: string | undefined): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return date.toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  } catch {
    // An unknown zone name: better the browser's clock than no date at all.
    return date.toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' });
  }
}

/** The district's calendar day (YYYY-MM-DD) a moment falls on, written as a day ("Dec 7, 2026"). */
export function momentDayLabel(iso: string, language: string, timeZone: string | undefined): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return date.toLocaleDateString(language, { dateStyle: 'medium', timeZone });
  } catch {
    return date.toLocaleDateString(language, { dateStyle: 'medium' });
  }
}

/**
 * A date and time typed in a form (`2026-12-01T08:30`, from a datetime-local field) as the instant
 * it names on the district's clock, the clock the page shows it back on. Empty stays empty (the
 * server says what is missing); without a known zone, the browser's clock reads it.
 */
export function districtInstant(local: string, timeZone: string | undefined): string {
  if (!local) return '';
  const instant = timeZone ? parseMoment(local, timeZone) : new Date(local);
  return Number.isNaN(instant.getTime()) ? '' : instant.toISOString();
}

/**
 * The date writers for the signed-in reader: `when` for a moment, `on` for the day of a moment,
 * `day` for a district calendar day the server already worked out, and `instant` to read a typed
 * date and time on the district's clock.
 */
export function useWhen() {
  const { i18n } = useTranslation();
  const { me } = useSession();
  const timeZone = me?.district?.timeZone;
  return {
    when: (iso: string) => momentLabel(iso, i18n.language, timeZone),
    on: (iso: string) => momentDayLabel(iso, i18n.language, timeZone),
    day: (date: string) => dayLabel(date, i18n.language),
    instant: (local: string) => districtInstant(local, timeZone),
  };
}

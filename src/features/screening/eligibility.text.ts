import { dayCount, daysAgo } from '../../platform/durations.ts';
import type { RefusalWords } from './consent.rules.ts';
import type { EligibilityWords } from './eligibility.rules.ts';

/**
 * Why a student may not be screened, in Spanish, for the API's messages and the import report
 * when staff read Haven in Spanish. The sentences follow the staff app's own (locales
 * `screening.eligibility.*`), so the roster and an error say the same thing the same way.
 */

const names = (ids: string[]) => ids.map((id) => id.toUpperCase()).join(', ');

/** A family's refusal in Spanish. */
export function refusalTextEs({ code, values }: RefusalWords): string {
  const one = values.instrument ? values.instrument.toUpperCase() : null;
  switch (code) {
    case 'opted_out_year':
      return one
        ? `La familia pidió que no haga el ${one} en todo el año escolar ${values.schoolYear}.`
        : `La familia pidió que no participe en ninguna evaluación del año escolar ${values.schoolYear}.`;
    case 'opted_out_standing':
      return `La familia pidió que no ${one ? `haga el ${one}` : 'participe'} antes de que el consentimiento se pidiera por ventana; sigue vigente hasta que dé su consentimiento para una ventana.`;
    case 'withdrawn_window':
      return one ? `La familia retiró su consentimiento para el ${one} en esta ventana.` : 'La familia retiró su consentimiento para esta ventana.';
    case 'opted_out_window':
      return one ? `La familia pidió que no haga el ${one} en esta ventana.` : 'La familia pidió que no participe en esta ventana.';
  }
}

const agesEs = (min: number, max: number | null) => (max === null ? `desde los ${min} años` : `de ${min} a ${max} años`);

/** One reason in Spanish. */
export function eligibilityWordsEs(words: EligibilityWords): string {
  switch (words.code) {
    case 'opted_out_window':
    case 'withdrawn_window':
    case 'opted_out_year':
    case 'opted_out_standing': {
      const refusal = refusalTextEs({ code: words.code, values: words.values });
      return words.values.leftOut.length > 0 ? `Sin ${names(words.values.leftOut)}: ${refusal}` : refusal;
    }
    case 'no_consent_for':
      return `Sin ${names(words.values.instruments)}: no hay consentimiento para ${words.values.instruments.length > 1 ? 'esos instrumentos' : 'ese instrumento'}.`;
    case 'no_instrument': {
      const { age, estimated, ranges } = words.values;
      const list = ranges.map((r) => `${r.instrument.toUpperCase()}: ${agesEs(r.min, r.max)}`).join('; ');
      return `Ningún instrumento de esta ventana está validado para los ${age} años${estimated ? ', edad estimada según el grado' : ''} (${list}).`;
    }
    case 'needs_consent':
      return `Hace falta el consentimiento por escrito del padre, madre o tutor para esta ventana (o el del propio estudiante desde los ${words.values.selfConsentAge} años).`;
    case 'no_notice':
      return 'Todavía no se ha enviado ningún aviso a la familia para esta ventana.';
    case 'notice_period': {
      const { waitedDays, noticeDays, startsOn } = words.values;
      return `La familia recibió el primer aviso ${daysAgo(waitedDays, 'es')} y tiene ${dayCount(noticeDays, 'es')} para pedir que no participe; la evaluación puede empezar el ${startsOn}.`;
    }
  }
}

/** The reasons in Spanish, one sentence after another. */
export const eligibilityReasonEs = (words: readonly EligibilityWords[]): string => words.map(eligibilityWordsEs).join(' ');

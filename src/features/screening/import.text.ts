/**
 * The words of the results import report, in English and Spanish. The report (the summary's
 * per-line `errors`, and the CSV the staff app offers to download from it) is written by the
 * server in the language of the request, like every other message: a problem names columns,
 * values and instruments that only the server knows, so it is said whole here rather than
 * rebuilt from codes in the browser. Column names and values stay as they are in the file.
 */

export type ImportLanguage = 'en' | 'es';

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

export const importText = {
  en: {
    missingColumn: (name: string) => `the header has no "${name}" column`,
    noInstrumentColumn: 'the header has no "instrument" column; add one, or name the instrument for the whole file',
    unknownColumns: (names: string[]) =>
      `unknown column${names.length > 1 ? 's' : ''} ${quoted(names)} (item ids look like q1; extra columns may start with ext_)`,
    twice: (name: string) => `the column "${name}" appears twice`,
    emptyStudent: 'student_id is empty',
    badDate: (raw: string) => `administered_at "${raw}" is not a date (use 2026-10-14 or 2026-10-14T09:30:00-06:00)`,
    unknownInstrument: (id: string) => `"${id}" is not an instrument of this district`,
    unknownInstrumentOf: (id: string, known: string[]) => `"${id}" is not an instrument of this district (${known.join(', ')})`,
    notAQuestion: (name: string, instrument: string) => `"${name}" is not a question of ${instrument}; leave it empty on ${instrument} rows`,
    noStudent: (localId: string) => `no student with the number "${localId}" in this district`,
    keptInvalid: (problems: string) => `stored as an invalid result because it shows suicide risk (alert raised): ${problems}`,
    noConsent: (reason: string) => `not imported, no consent for this student: ${reason}`,
    keptWithoutConsent: (reason: string) => `stored without consent because it shows suicide risk (alert raised): ${reason}`,
    emptyFile: 'the file is empty',
    csv: (message: string) => message,
  },
  es: {
    missingColumn: (name: string) => `el encabezado no tiene la columna "${name}"`,
    noInstrumentColumn: 'el encabezado no tiene la columna "instrument"; agréguela, o indique el instrumento para todo el archivo',
    unknownColumns: (names: string[]) =>
      `${names.length > 1 ? 'columnas desconocidas' : 'columna desconocida'} ${quoted(names)} (los id de las preguntas son como q1; las columnas adicionales pueden empezar con ext_)`,
    twice: (name: string) => `la columna "${name}" aparece dos veces`,
    emptyStudent: 'student_id está vacío',
    badDate: (raw: string) => `administered_at "${raw}" no es una fecha (use 2026-10-14 o 2026-10-14T09:30:00-06:00)`,
    unknownInstrument: (id: string) => `"${id}" no es un instrumento de este distrito`,
    unknownInstrumentOf: (id: string, known: string[]) => `"${id}" no es un instrumento de este distrito (${known.join(', ')})`,
    notAQuestion: (name: string, instrument: string) => `"${name}" no es una pregunta del ${instrument}; déjela vacía en las filas del ${instrument}`,
    noStudent: (localId: string) => `no hay ningún estudiante con el número "${localId}" en este distrito`,
    keptInvalid: (problems: string) => `se guardó como resultado no válido porque muestra riesgo de suicidio (se envió una alerta): ${problems}`,
    noConsent: (reason: string) => `no se importó, no hay consentimiento para este estudiante: ${reason}`,
    keptWithoutConsent: (reason: string) => `se guardó sin consentimiento porque muestra riesgo de suicidio (se envió una alerta): ${reason}`,
    emptyFile: 'el archivo está vacío',
    csv: (message: string) => csvSyntaxEs[message] ?? message,
  },
} as const;

/** The CSV reader's (platform/csv-reader.ts) three syntax problems, in Spanish. */
const csvSyntaxEs: Record<string, string> = {
  'a quote (") in the middle of an unquoted cell; put the whole cell in quotes and double the quote':
    'hay unas comillas (") en medio de una celda sin comillas; ponga toda la celda entre comillas y duplique las comillas',
  'text after a closing quote; a quoted cell must end at a comma or the end of the line':
    'hay texto después de las comillas de cierre; una celda entre comillas debe terminar en una coma o al final de la línea',
  'a quoted cell is never closed': 'una celda entre comillas nunca se cierra',
};

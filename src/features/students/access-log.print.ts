import { toCsv } from '../../platform/csv.ts';
import { escapeHtml } from '../../platform/html.ts';
import { type DescribedEvent, kindWords, type LogLanguage } from './access-log.rules.ts';

/**
 * The family's copy of a student's access log, as CSV and as one printable page, in English or
 * Spanish: every look and every disclosure in time order, times in the district's time zone, and
 * no codes (access-log.rules.ts says each event in words).
 */

export type ExportRow = DescribedEvent & { at: Date };
export type ExportFacts = {
  student: { firstName: string; lastName: string; localId: string };
  school: string;
  district: string;
  timeZone: string;
  /** The period as the person asked for it (YYYY-MM-DD), or null for "from the first entry". */
  from: string | null;
  to: string;
  preparedAt: Date;
  preparedBy: string;
};

const text = {
  en: {
    title: (name: string) => `Who has seen ${name}’s records`,
    intro: (first: string, period: string) =>
      `This lists every time someone looked at ${first}’s records in Haven, the school’s student support system, and every time information about ${first} was shared outside the school, ${period}, oldest first. Federal law (FERPA, 34 CFR 99.32) asks the school to keep this record and lets you see it.`,
    period: (from: string | null, to: string) => (from ? `from ${from} to ${to}` : `from the first entry to ${to}`),
    times: (zone: string) => `Times are in the district’s time zone (${zone}).`,
    confidential: 'As the law requires, this copy leaves out entries that another law keeps confidential to protect a student.',
    questions:
      'Questions? Ask the school’s principal or counselor. If you believe something in your child’s record is wrong, you may ask the school to correct it (34 CFR 99.20).',
    school: 'School',
    student: 'Student',
    prepared: (at: string, by: string) => `Prepared on ${at} by ${by}.`,
    summary: (looks: number, disclosures: number) =>
      `${looks} ${looks === 1 ? 'look' : 'looks'}, ${disclosures} ${disclosures === 1 ? 'disclosure' : 'disclosures'}.`,
    empty: 'Nothing was recorded in this period.',
    columns: ['When', 'Kind', 'Who', 'To whom', 'What', 'Why'],
    caption: 'Every look and disclosure, oldest first',
  },
  es: {
    title: (name: string) => `Quién ha visto los expedientes de ${name}`,
    intro: (first: string, period: string) =>
      `Aquí aparece cada vez que alguien consultó los expedientes de ${first} en Haven, el sistema de apoyo estudiantil de la escuela, y cada vez que se compartió información sobre ${first} fuera de la escuela, ${period}, del más antiguo al más reciente. La ley federal (FERPA, 34 CFR 99.32) pide a la escuela que guarde este registro y le da a usted el derecho de verlo.`,
    period: (from: string | null, to: string) => (from ? `del ${from} al ${to}` : `desde el primer registro hasta el ${to}`),
    times: (zone: string) => `Las horas están en la zona horaria del distrito (${zone}).`,
    confidential: 'Como lo exige la ley, esta copia no incluye las entradas que otra ley mantiene confidenciales para proteger a un estudiante.',
    questions:
      '¿Preguntas? Hable con el director o el consejero de la escuela. Si cree que algo en el expediente de su hijo o hija es incorrecto, puede pedir a la escuela que lo corrija (34 CFR 99.20).',
    school: 'Escuela',
    student: 'Estudiante',
    prepared: (at: string, by: string) => `Preparado el ${at} por ${by}.`,
    summary: (looks: number, disclosures: number) =>
      `${looks} ${looks === 1 ? 'consulta' : 'consultas'}, ${disclosures} ${disclosures === 1 ? 'divulgación' : 'divulgaciones'}.`,
    empty: 'No se registró nada en este período.',
    columns: ['Cuándo', 'Tipo', 'Quién', 'A quién', 'Qué', 'Por qué'],
    caption: 'Cada consulta y divulgación, de la más antigua a la más reciente',
  },
} as const;

const locales: Record<LogLanguage, string> = { en: 'en-US', es: 'es-US' };

/** A moment as the family reads it: date and time in the district's zone, with the zone's name. */
export function whenIn(at: Date, lang: LogLanguage, timeZone: string): string {
  return new Intl.DateTimeFormat(locales[lang], {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(at);
}

/** A day (YYYY-MM-DD) written out, e.g. "November 28, 2026" / "28 de noviembre de 2026". */
function dayIn(day: string, lang: LogLanguage): string {
  return new Intl.DateTimeFormat(locales[lang], { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(`${day}T12:00:00Z`));
}

function cells(row: ExportRow, lang: LogLanguage, timeZone: string): string[] {
  return [whenIn(row.at, lang, timeZone), kindWords[row.kind][lang], row.who, row.whom ?? '—', row.what, row.why];
}

/** The CSV: a header row in the family's language, then one row per event, oldest first. */
export function accessLogCsv(rows: readonly ExportRow[], lang: LogLanguage, timeZone: string): string {
  // A byte-order mark, so a spreadsheet opens accented Spanish as UTF-8.
  return `\uFEFF${toCsv(
    text[lang].columns,
    rows.map((row) => cells(row, lang, timeZone)),
  )}`;
}

/** One printable page: what this is and what the family may do, then the table. No scripts. */
export function accessLogPage(rows: readonly ExportRow[], lang: LogLanguage, f: ExportFacts): string {
  const t = text[lang];
  const name = `${f.student.firstName} ${f.student.lastName}`;
  const period = t.period(f.from ? dayIn(f.from, lang) : null, dayIn(f.to, lang));
  const looks = rows.filter((r) => r.kind === 'look').length;
  const disclosures = rows.filter((r) => r.kind === 'disclosure').length;
  const head = t.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr class="${row.kind}">${cells(row, lang, f.timeZone)
          .map((c) => `<td>${escapeHtml(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  const table = rows.length
    ? `<table><caption>${escapeHtml(t.caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`
    : `<p><strong>${escapeHtml(t.empty)}</strong></p>`;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title(name))}</title><style>
body{font:11pt/1.45 system-ui,sans-serif;margin:1.5cm;color:#111;max-width:60rem}h1{font-size:16pt;margin:0 0 .3rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}dt{font-weight:600}dd{margin:0}
table{border-collapse:collapse;width:100%;margin-top:1rem;font-size:10pt}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #777;padding:.3rem .4rem;text-align:left;vertical-align:top}thead th{background:#eee}
tr.disclosure td{background:#fff6dd}tr{page-break-inside:avoid}@media print{body{margin:0}}</style></head><body>
<main><h1>${escapeHtml(t.title(name))}</h1>
<dl><dt>${escapeHtml(t.student)}</dt><dd>${escapeHtml(name)} (${escapeHtml(f.student.localId)})</dd><dt>${escapeHtml(t.school)}</dt><dd>${escapeHtml(f.school)}, ${escapeHtml(f.district)}</dd></dl>
<p>${escapeHtml(t.intro(f.student.firstName, period))}</p><p>${escapeHtml(t.times(f.timeZone))} ${escapeHtml(t.summary(looks, disclosures))}</p>
<p>${escapeHtml(t.confidential)}</p><p>${escapeHtml(t.questions)}</p>
${table}
<p>${escapeHtml(t.prepared(whenIn(f.preparedAt, lang, f.timeZone), f.preparedBy))}</p></main></body></html>`;
}

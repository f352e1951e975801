import { escapeHtml } from '../../platform/html.ts';

/**
 * The Stanley-Brown safety plan on one printed page, in the student's or guardian's language
 * (section headings and the crisis lines of step 5 are translated; the plan's own words stay as
 * the student wrote them).
 */

const headings = {
  en: {
    title: 'My safety plan',
    for: 'For',
    made: 'Made together on',
    sections: [
      'Step 1. Warning signs that a crisis may be starting',
      'Step 2. Things I can do on my own to take my mind off my problems',
      'Step 3. People and places that help me feel better',
      'Step 4. People I can ask for help',
      'Step 5. Professionals and agencies I can contact in a crisis',
      'Step 6. Making my surroundings safe',
    ],
    reason: 'In danger right now? Call 911.',
    reasonForLiving: 'The one thing that is most important to me and worth living for is:',
  },
  es: {
    title: 'Mi plan de seguridad',
    for: 'Para',
    made: 'Hecho juntos el',
    sections: [
      'Paso 1. Señales de que puede empezar una crisis',
      'Paso 2. Cosas que puedo hacer por mi cuenta para distraerme de mis problemas',
      'Paso 3. Personas y lugares que me ayudan a sentirme mejor',
      'Paso 4. Personas a quienes puedo pedir ayuda',
      'Paso 5. Profesionales y servicios a los que puedo llamar en una crisis',
      'Paso 6. Hacer que mi entorno sea seguro',
    ],
    reason: '¿En peligro ahora? Llame al 911.',
    reasonForLiving: 'Lo más importante para mí y por lo que vale la pena vivir es:',
  },
} as const;

/**
 * Step 5 always carries the crisis lines (README: 988 and Colorado Crisis Services), printed in the
 * page's language. A plan stores them in the language it was made in (records.service.ts adds
 * them on save), so a plan made in English and printed for a Spanish-speaking family would
 * otherwise give the family the lines in English. Every known wording, in either language, is
 * replaced by the page's own.
 */
const crisisLines = {
  en: [
    '988 Suicide & Crisis Lifeline: call or text 988',
    'Colorado Crisis Services: 1-844-493-8255, or text TALK to 38255',
    'Emergency: 911 or the nearest emergency department',
  ],
  es: [
    'Línea 988 de Prevención del Suicidio y Crisis: llame o envíe un texto al 988',
    'Colorado Crisis Services: 1-844-493-8255, o envíe TALK al 38255',
    'Emergencia: 911 o la sala de emergencias más cercana',
  ],
} as const;
const anyCrisisLine = new Set<string>([...crisisLines.en, ...crisisLines.es]);

/** Step 5 as printed: the professionals the student named, then the crisis lines in the page's language. */
export function professionalsToPrint(lang: 'en' | 'es', professionals: readonly string[]): string[] {
  return [...professionals.filter((p) => !anyCrisisLine.has(p.trim())), ...crisisLines[lang]];
}

type Plan = {
  warningSigns: string[];
  copingStrategies: string[];
  distractions: string[];
  peopleToAsk: string[];
  professionals: string[];
  environmentSafety: string[];
  /** Stanley-Brown's closing line; plans made before it existed have none. */
  reasonForLiving?: string | undefined;
};

export function safetyPlanPrintView(lang: 'en' | 'es', plan: Plan, student: string, madeOn: Date, timeZone: string): string {
  const t = headings[lang];
  const lists = [
    plan.warningSigns,
    plan.copingStrategies,
    plan.distractions,
    plan.peopleToAsk,
    professionalsToPrint(lang, plan.professionals),
    plan.environmentSafety,
  ];
  const sections = t.sections
    .map((heading, i) => {
      const items = lists[i] ?? [];
      return `<section><h2>${escapeHtml(heading)}</h2>${items.length ? `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>` : '<p class="blank">&nbsp;</p>'}</section>`;
    })
    .join('');
  // Printed whether filled or not, like the paper form: a blank line invites the student to fill it in.
  const reason = `<section class="living"><h2>${escapeHtml(t.reasonForLiving)}</h2>${plan.reasonForLiving ? `<p>${escapeHtml(plan.reasonForLiving)}</p>` : '<p class="blank">&nbsp;</p>'}</section>`;
  const date = madeOn.toLocaleDateString(lang === 'es' ? 'es-US' : 'en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone });
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(t.title)}</title><style>
@page{size:letter;margin:1.2cm}body{font:11pt/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#000;max-width:19cm;margin:1rem auto;padding:0 1rem}
h1{font-size:17pt;margin:0 0 .2rem}.meta{margin:0 0 .6rem;color:#333}section{border:1.5px solid #333;border-radius:6px;padding:.3rem .6rem;margin:.35rem 0;break-inside:avoid}
h2{font-size:11.5pt;margin:.1rem 0}ul{margin:.2rem 0 .2rem 1.2rem;padding:0}li{margin:.05rem 0}.blank{min-height:1.2rem;margin:0}.danger{font-weight:700;margin-top:.5rem}.living p{margin:.2rem 0;font-size:12pt}
@media print{body{margin:0;padding:0}}</style></head><body><main><h1>${escapeHtml(t.title)}</h1><p class="meta">${escapeHtml(t.for)}: ${escapeHtml(student)} · ${escapeHtml(t.made)} ${escapeHtml(date)}</p>${sections}${reason}<p class="danger">${escapeHtml(t.reason)}</p></main></body></html>`;
}

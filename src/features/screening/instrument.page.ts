import { escapeHtml } from '../../platform/html.ts';
import type { InstrumentDefinition } from './definition.schema.ts';
import { type Instrument, shippedInstruments } from './library.ts';

/**
 * The public page where a family reads an instrument's questions before their child answers them
 * (PPRA, 20 U.S.C. 1232h(c): parents may inspect a survey). Server-rendered HTML, no JavaScript,
 * no student data, English and Spanish. The questions appear in the family's language only where
 * that wording is a validated translation; otherwise in English, with a note, exactly as students
 * see them on the screen.
 */

export type PageLanguage = 'en' | 'es';

/**
 * Only instruments Haven ships are shown publicly; a district's own (often licensed, like the
 * C-SSRS) is shown by the school on request, and the letter says so.
 */
export function publicInstrument(instrument: Instrument | undefined): boolean {
  return instrument !== undefined && shippedInstruments().get(instrument.definition.id) === instrument;
}

export function instrumentPageUrl(publicUrl: string, id: string, lang: PageLanguage): string {
  return `${publicUrl}/screening/instruments/${encodeURIComponent(id)}?lang=${lang}`;
}

const words = {
  en: {
    other: { code: 'es', label: 'Español' },
    heading: (title: string) => `${title}: the questions`,
    intro:
      'These are all the questions your child may be asked in this screening, as students see them. You have the right to see them before your child takes part (federal law, PPRA). Students never see a score, and they may skip any question or choose not to take part.',
    teacher: 'A teacher answers these questions about the student; the student is not asked anything.',
    englishOnly: '', // English is every instrument's own language
    branching: 'Asked only after certain earlier answers (or in certain grades).',
    answers: 'Possible answers',
    questions: 'Questions',
    school: 'Questions about the screening? Call your school counselor.',
    help: 'If your child is in danger now, call 911. 988 Suicide & Crisis Lifeline: call or text 988. Colorado Crisis Services: 1-844-493-8255, or text TALK to 38255.',
    notFound: 'There is no instrument with that name. The letter from the school has the right link; you can also ask the school counselor for a copy.',
    notFoundTitle: 'Instrument not found',
    all: 'Screening questionnaires',
  },
  es: {
    other: { code: 'en', label: 'English' },
    heading: (title: string) => `${title}: las preguntas`,
    intro:
      'Estas son todas las preguntas que pueden hacerle a su hijo o hija en esta evaluación, tal como las ven los estudiantes. Tiene derecho a verlas antes de que participe (ley federal PPRA). Los estudiantes nunca ven un puntaje, y pueden saltar cualquier pregunta o decidir no participar.',
    teacher: 'Un maestro o maestra contesta estas preguntas sobre el estudiante; al estudiante no se le pregunta nada.',
    englishOnly:
      'Las preguntas aparecen en inglés porque todavía no hay una traducción validada de este cuestionario; los estudiantes también las ven en inglés. Si quiere que alguien se las explique en español, llame a la escuela.',
    branching: 'Solo se pregunta según algunas respuestas anteriores (o en algunos grados).',
    answers: 'Respuestas posibles',
    questions: 'Preguntas',
    school: '¿Tiene preguntas sobre la evaluación? Llame al consejero escolar.',
    help: 'Si su hijo o hija está en peligro ahora, llame al 911. Línea 988 de Prevención del Suicidio y Crisis: llame o envíe un texto al 988. Colorado Crisis Services: 1-844-493-8255, o envíe TALK al 38255.',
    notFound: 'No hay ningún cuestionario con ese nombre. La carta de la escuela tiene el enlace correcto; también puede pedir una copia al consejero escolar.',
    notFoundTitle: 'No se encontró el cuestionario',
    all: 'Cuestionarios de evaluación',
  },
} as const;

const styles = `body{margin:0;font:1.1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
main,footer{max-width:44rem;margin:0 auto;padding:1rem}nav{display:flex;justify-content:flex-end}a{color:#1c4f82}h1{font-size:1.6rem}
ol>li{margin:1rem 0}.answers{color:#333;font-size:1rem}.note{border-left:4px solid #8a6d00;padding-left:.6rem}.small{font-size:.95rem;color:#404040}
:focus-visible{outline:3px solid #f0b400;outline-offset:2px}`;

function layout(lang: PageLanguage, title: string, switchHref: string, body: string): string {
  const t = words[lang];
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · Haven</title><style>${styles}</style></head><body>
<main id="main"><nav aria-label="${lang === 'es' ? 'Idioma' : 'Language'}"><a href="${escapeHtml(switchHref)}" hreflang="${t.other.code}" lang="${t.other.code}">${t.other.label}</a></nav>${body}</main>
<footer><p>${escapeHtml(t.school)}</p><p>${escapeHtml(t.help)}</p></footer></body></html>`;
}

/** Text in the page's language when it is a validated translation; otherwise English (as on the screen). */
function shown(lang: PageLanguage, def: InstrumentDefinition, text: Record<string, string>): { text: string; lang: string } {
  if (lang !== 'en' && def.validatedLanguages.includes(lang) && text[lang]) return { text: text[lang] as string, lang };
  return { text: text.en as string, lang: 'en' };
}

export function instrumentPage(lang: PageLanguage, def: InstrumentDefinition): string {
  const t = words[lang];
  const title = def.title[lang] ?? def.title.en ?? def.name;
  const attr = (l: string) => (l !== lang ? ` lang="${l}"` : '');
  const translated = lang === 'en' || def.validatedLanguages.includes(lang);
  const recall = def.recallPeriod ? shown(lang, def, def.recallPeriod) : null;
  const items = def.item
    .map((item) => {
      const question = shown(lang, def, item.text);
      const options = item.answerOption.map((o) => shown(lang, def, o.display));
      const branching = item.enableWhen ? `<br><span class="small">${escapeHtml(t.branching)}</span>` : '';
      return `<li><span${attr(question.lang)}>${escapeHtml(question.text)}</span>${branching}<br><span class="answers"><span class="small">${escapeHtml(t.answers)}:</span> ${options
        .map((o) => `<span${attr(o.lang)}>${escapeHtml(o.text)}</span>`)
        .join(' · ')}</span></li>`;
    })
    .join('');
  const body = `<h1>${escapeHtml(t.heading(title))}</h1><p>${escapeHtml(t.intro)}</p>${def.respondent === 'student' ? '' : `<p>${escapeHtml(t.teacher)}</p>`}
${translated ? '' : `<p class="note">${escapeHtml(t.englishOnly)}</p>`}${recall ? `<p${attr(recall.lang)}>${escapeHtml(recall.text)}</p>` : ''}
<h2>${escapeHtml(t.questions)}</h2><ol>${items}</ol>${def.copyright ? `<p class="small" lang="en">${escapeHtml(def.copyright)}</p>` : ''}`;
  return layout(lang, t.heading(title), `/screening/instruments/${encodeURIComponent(def.id)}?lang=${t.other.code}`, body);
}

/** Every instrument Haven ships, linked; also shown when a link names none of them. */
export function instrumentIndexPage(lang: PageLanguage, defs: InstrumentDefinition[], missing: boolean): string {
  const t = words[lang];
  const list = defs
    .map((d) => `<li><a href="/screening/instruments/${encodeURIComponent(d.id)}?lang=${lang}">${escapeHtml(d.title[lang] ?? d.title.en ?? d.name)}</a></li>`)
    .join('');
  const title = missing ? t.notFoundTitle : t.all;
  return layout(
    lang,
    title,
    `/screening/instruments?lang=${t.other.code}`,
    `<h1>${escapeHtml(title)}</h1>${missing ? `<p>${escapeHtml(t.notFound)}</p>` : ''}<ul>${list}</ul>`,
  );
}

import { escapeHtml } from '../../platform/html.ts';
import type { InstrumentDefinition } from './definition.schema.ts';
import { partsInEnglish } from './screen.rules.ts';
import { type ScreenLanguage, screenText } from './screen.text.ts';

/**
 * The student's screen as server-rendered HTML: no JavaScript, no third-party requests, one
 * question per page with answers as large buttons (one tap answers), readable by a screen reader
 * as a group of buttons named by the question.
 */

const styles = `*{box-sizing:border-box}body{margin:0;font:1.15rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
main{max-width:36rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.5rem 0}nav{display:flex;justify-content:space-between;gap:1rem;margin-bottom:.5rem}
a{color:#1c4f82}fieldset{border:0;padding:0;margin:1rem 0}legend{font-size:1.35rem;font-weight:700;margin-bottom:.75rem;padding:0}
.answer{display:block;width:100%;min-height:3.25rem;margin:.5rem 0;padding:.75rem 1rem;font:inherit;text-align:left;background:#eef3f8;color:#1a1a1a;border:2px solid #1c4f82;border-radius:10px;cursor:pointer}
.answer:hover{background:#dbe7f3}.primary{display:inline-block;min-height:3.25rem;padding:.75rem 1.5rem;font:inherit;font-weight:700;background:#1c4f82;color:#fff;border:0;border-radius:10px;cursor:pointer;text-decoration:none}
.skip{background:none;border:0;color:#1c4f82;text-decoration:underline;font:inherit;padding:.75rem 0;min-height:3rem;cursor:pointer}
.choice{border:2px solid #d0d7de;border-radius:10px;padding:.25rem 1rem;margin:1rem 0}.choice h2{font-size:1.2rem;margin:.5rem 0}
.decline{min-height:3rem;padding:.6rem 1.2rem;font:inherit;background:#fff;color:#1c4f82;border:2px solid #1c4f82;border-radius:10px;cursor:pointer;margin-bottom:.75rem}
input{width:100%;font:700 1.5rem/1.2 ui-monospace,monospace;letter-spacing:.1em;padding:.6rem;border:2px solid #555;border-radius:8px;text-transform:uppercase}
label{display:block;font-weight:700;margin-top:1rem}.help{color:#404040;margin:.2rem 0 .5rem;font-size:1rem}.note{font-size:1rem;color:#404040;border-left:4px solid #8a6d00;padding-left:.6rem}
.care{border:3px solid #8a1c1c;border-radius:10px;padding:1rem;margin:1rem 0;background:#fff5f5}.care h2{margin-top:0;font-size:1.3rem}.care a{font-weight:700;color:#8a1c1c}
.error{border:2px solid #8a1c1c;padding:.75rem;border-radius:8px}.progress{color:#404040;font-size:1rem}footer{max-width:36rem;margin:2rem auto 1rem;padding:0 1rem;font-size:1rem;color:#404040}
:focus-visible{outline:3px solid #f0b400;outline-offset:2px}`;

export function screenPage(lang: ScreenLanguage, title: string, body: string, switchHref: string): string {
  const t = screenText[lang];
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><meta name="robots" content="noindex"><title>${escapeHtml(title)} · Haven</title><style>${styles}</style></head><body>
<main id="main"><nav aria-label="${lang === 'es' ? 'Idioma' : 'Language'}"><span>${escapeHtml(t.title)}</span><a href="${escapeHtml(switchHref)}" hreflang="${t.other.code}" lang="${t.other.code}">${t.other.label}</a></nav>${body}</main>
<footer><p>${escapeHtml(t.help)} <a href="tel:988">988</a></p></footer></body></html>`;
}

export function codeForm(lang: ScreenLanguage, error?: string): string {
  const t = screenText[lang];
  const problem = error ? `<div class="error" role="alert"><p>${escapeHtml(error)}</p></div>` : '';
  return `<h1>${escapeHtml(t.start)}</h1><p>${escapeHtml(t.startIntro)}</p>${problem}
<form method="post" action="/screen/start"><input type="hidden" name="lang" value="${lang}"><label for="code">${escapeHtml(t.code)}</label><p class="help" id="code-help">${escapeHtml(t.codeHelp)}</p>
<input id="code" name="code" required maxlength="12" autocomplete="off" autocapitalize="characters" spellcheck="false" aria-describedby="code-help"${error ? ' aria-invalid="true"' : ''}>
<p><button class="primary" type="submit">${escapeHtml(t.begin)}</button></p></form>`;
}

export function careMessage(lang: ScreenLanguage): string {
  const t = screenText[lang];
  return `<section class="care" role="alert" aria-labelledby="care-title"><h2 id="care-title">${escapeHtml(t.careTitle)}</h2><p>${escapeHtml(t.care)}</p><p>${escapeHtml(t.careNow)}</p>
<ul><li><a href="tel:988">${escapeHtml(t.call988)}</a></li><li><a href="tel:18444938255">${escapeHtml(t.ccs)}</a></li></ul><p><strong>${escapeHtml(t.danger)}</strong> <a href="tel:911">911</a></p></section>`;
}

/** Item text in the student's language only when it is a validated translation; otherwise English with a note. */
function itemText(lang: ScreenLanguage, def: InstrumentDefinition, text: Record<string, string>): { text: string; lang: string } {
  if (lang !== 'en' && def.validatedLanguages.includes(lang) && text[lang]) return { text: text[lang] as string, lang };
  return { text: text.en as string, lang: 'en' };
}

export function questionPage(
  lang: ScreenLanguage,
  view: {
    firstName: string;
    instrument: InstrumentDefinition;
    item: InstrumentDefinition['item'][number];
    position: number;
    of: number;
    instrumentNumber: number;
    instrumentCount: number;
    care: boolean;
    /** Nothing answered yet: the page says taking part is voluntary and offers "I'd rather not". */
    first?: boolean;
    /** Every instrument of the screen, in order: the first page says which will be in English. */
    instruments: readonly InstrumentDefinition[];
  },
): string {
  const t = screenText[lang];
  const def = view.instrument;
  const question = itemText(lang, def, view.item.text);
  const recall = def.recallPeriod ? itemText(lang, def, def.recallPeriod) : null;
  const note = question.lang !== lang ? `<p class="note" lang="${lang}">${escapeHtml(t.englishOnly)}</p>` : '';
  const langAttr = (l: string) => (l !== lang ? ` lang="${l}"` : '');
  const buttons = view.item.answerOption
    .map((o) => {
      const label = itemText(lang, def, o.display);
      return `<button class="answer" type="submit" name="value" value="${escapeHtml(String(o.value))}"${langAttr(label.lang)}>${escapeHtml(label.text)}</button>`;
    })
    .join('');
  const skip = view.item.required ? '' : `<button class="skip" type="submit" name="skip" value="1">${escapeHtml(t.skip)}</button>`;
  const english = view.first ? partsInEnglish(view.instruments, lang) : [];
  const beforeStart = english.length > 0 ? `<p class="note" id="language-note">${escapeHtml(t.beforeStart(english, view.instruments.length))}</p>` : '';
  return `${view.care ? careMessage(lang) : ''}<p>${escapeHtml(t.hello(view.firstName))}</p>${beforeStart}${view.first ? choiceNotice(lang) : ''}
<p class="progress">${escapeHtml(t.progress(view.position, view.of, view.instrumentNumber, view.instrumentCount))}</p>${note}
${recall ? `<p${langAttr(recall.lang)}>${escapeHtml(recall.text)}</p>` : ''}
<form method="post" action="/screen/answer"><input type="hidden" name="lang" value="${lang}"><input type="hidden" name="instrument" value="${escapeHtml(def.id)}"><input type="hidden" name="item" value="${escapeHtml(view.item.linkId)}">
<fieldset><legend${langAttr(question.lang)}>${escapeHtml(question.text)}</legend>${buttons}</fieldset>${skip}</form>`;
}

/** Taking part is voluntary: said on the first page, with a way out that records the student's choice. */
function choiceNotice(lang: ScreenLanguage): string {
  const t = screenText[lang];
  return `<section class="choice" aria-labelledby="choice-title"><h2 id="choice-title">${escapeHtml(t.choiceTitle)}</h2><p>${escapeHtml(t.choice)}</p>
<form method="post" action="/screen/decline"><input type="hidden" name="lang" value="${lang}"><button class="decline" type="submit">${escapeHtml(t.decline)}</button></form></section>`;
}

/** After "I'd rather not": kind words, the help lines, and the way back to the code form for the next student. */
export function declinedPage(lang: ScreenLanguage): string {
  const t = screenText[lang];
  return `<h1>${escapeHtml(t.declinedTitle)}</h1><p>${escapeHtml(t.declined)}</p><p>${escapeHtml(t.declinedHelp)}</p>
<ul><li><a href="tel:988">${escapeHtml(t.call988)}</a></li><li><a href="tel:18444938255">${escapeHtml(t.ccs)}</a></li></ul><p><strong>${escapeHtml(t.danger)}</strong> <a href="tel:911">911</a></p>
<p>${escapeHtml(t.giveBack)}</p><p><a class="primary" href="/screen?lang=${lang}">${escapeHtml(t.next)}</a></p>`;
}

export function donePage(lang: ScreenLanguage, alerted: boolean): string {
  const t = screenText[lang];
  return `<h1>${escapeHtml(t.doneTitle)}</h1>${alerted ? careMessage(lang) : ''}<p>${escapeHtml(t.done)}</p><p><a class="primary" href="/screen?lang=${lang}">${escapeHtml(t.next)}</a></p>`;
}

/**
 * Shown on a device held for an imminent-risk screen, on every /screen page, until a proctor
 * releases it: never a "next student" link. It does not reload itself (a page that refreshes under
 * a student in distress is a WCAG 2.2.1 failure); after the release the adult presses Continue.
 */
export function holdPage(lang: ScreenLanguage): string {
  const t = screenText[lang];
  return `<h1>${escapeHtml(t.holdTitle)}</h1><p>${escapeHtml(t.hold)}</p>${careMessage(lang)}<p><strong>${escapeHtml(t.holdAdult)}</strong></p>
<form method="get" action="/screen/hold"><input type="hidden" name="lang" value="${lang}"><p><button class="primary" type="submit">${escapeHtml(t.holdContinue)}</button></p></form>`;
}

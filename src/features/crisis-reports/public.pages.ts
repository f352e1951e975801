import { reportCategories, urgencies } from '../../data/reports.ts';
import { escapeHtml } from '../../platform/html.ts';
import { type PublicLanguage, publicText } from './public.text.ts';
import { triageLanguages } from './triage.rules.ts';

/** Server-rendered public pages: no JavaScript, no third-party requests, a few kilobytes each. */

const styles = `*{box-sizing:border-box}body{margin:0;font:1.05rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
.crisis{background:#8a1c1c;color:#fff;padding:.75rem 1rem}.crisis p{margin:.2rem 0}.crisis a{color:#fff;font-weight:700}
main{max-width:40rem;margin:0 auto;padding:1rem}h1{font-size:1.6rem;margin:.5rem 0}label{display:block;font-weight:600;margin-top:1rem}
.help{font-size:.95rem;color:#404040;margin:.1rem 0 .3rem}input,select,textarea{width:100%;font:inherit;padding:.6rem;border:2px solid #555;border-radius:6px}
textarea{min-height:8rem}fieldset{border:0;padding:0;margin:1rem 0 0}legend{font-weight:600}.choice{display:flex;gap:.75rem;align-items:center;min-height:2.75rem;margin:.1rem 0;padding:.25rem 0;font-weight:400;cursor:pointer}
.choice input{flex:none;width:1.5rem;height:1.5rem;min-width:24px;min-height:24px;margin:0;padding:0;accent-color:#1c4f82;cursor:pointer}button{margin-top:1.25rem;font:inherit;font-weight:700;padding:.75rem 1.5rem;background:#1c4f82;color:#fff;border:0;border-radius:6px;cursor:pointer}
:focus-visible{outline:3px solid #f0b400;outline-offset:2px}.code{font:700 1.6rem/1.2 ui-monospace,monospace;letter-spacing:.08em;background:#f2f2f2;padding:.5rem;display:inline-block}
.error{border:2px solid #8a1c1c;padding:.75rem;border-radius:6px}.msg{border-left:4px solid #1c4f82;padding:.25rem .75rem;margin:.5rem 0}
nav{display:flex;justify-content:space-between;align-items:center;gap:1rem;flex-wrap:wrap;margin-bottom:.5rem}a{color:#1c4f82}
.switch{margin:0}.switch button{margin:0;padding:0;min-height:24px;background:none;color:#1c4f82;font-weight:400;text-decoration:underline;border-radius:0}.number{white-space:nowrap}`;

/**
 * The icon of the public pages, served by the public routes themselves (so it is there whether or
 * not the staff app is built) under /report, a path the staff app's files never take.
 */
export const faviconPath = '/report/favicon.svg';

/**
 * The crisis lines said once, with each number itself the link to call or text it (a phone dials
 * it on a tap) and never broken across lines: not the sentence followed by the numbers again.
 */
function withNumberLinks(text: string): string {
  const hrefs: Record<string, string> = { '1-844-493-8255': 'tel:18444938255', '38255': 'sms:38255', '988': 'tel:988', '911': 'tel:911' };
  return escapeHtml(text).replace(/1-844-493-8255|\b38255\b|\b988\b|\b911\b/g, (number) => `<a href="${hrefs[number]}" class="number">${number}</a>`);
}

/**
 * The way to the other language. A page showing a report found by its code switches with a small
 * POST form carrying the code in a hidden field: the code is a secret, so it never goes in a URL
 * (the address bar, the history of a shared computer, server logs), and the reporter need not
 * type it again. Any other page switches with a plain link.
 */
function languageSwitch(lang: PublicLanguage, switchHref: string, carriedCode: string | undefined): string {
  const other = publicText[lang].other;
  if (carriedCode === undefined) return `<a href="${escapeHtml(switchHref)}" hreflang="${other.code}" lang="${other.code}">${other.label}</a>`;
  return `<form class="switch" method="post" action="/report/follow-up" autocomplete="off"><input type="hidden" name="lang" value="${other.code}"><input type="hidden" name="code" value="${escapeHtml(carriedCode)}"><button type="submit" lang="${other.code}">${other.label}</button></form>`;
}

/** A public page; `carriedCode`, the follow-up code its language switch keeps (see languageSwitch). */
export function page(lang: PublicLanguage, title: string, body: string, switchHref: string, carriedCode?: string): string {
  const t = publicText[lang];
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><link rel="icon" href="${faviconPath}" type="image/svg+xml"><title>${escapeHtml(title)} · Haven</title><style>${styles}</style></head><body>
<header class="crisis" role="banner"><p><strong>${withNumberLinks(t.danger)}</strong></p><p>${withNumberLinks(t.lines)}</p></header>
<main id="main"><nav aria-label="${lang === 'es' ? 'Idioma y enlaces' : 'Language and links'}">${languageSwitch(lang, switchHref, carriedCode)}<a href="/report/follow-up?lang=${lang}">${escapeHtml(t.followUpLink)}</a></nav>${body}</main></body></html>`;
}

export type FormValues = { description?: string; about?: string; school?: string; category?: string; urgency?: string; contact?: string };
export type SchoolOption = { code: string; name: string };

export function reportForm(
  lang: PublicLanguage,
  options: { schools: SchoolOption[]; values?: FormValues; errors?: string[]; action: string; district?: string },
): string {
  const t = publicText[lang];
  const v = options.values ?? {};
  const errors = options.errors?.length
    ? `<div class="error" role="alert" tabindex="-1"><h2>${escapeHtml(t.errorTitle)}</h2><ul>${options.errors.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul></div>`
    : '';
  const schoolField =
    options.schools.length === 1 && options.schools[0]
      ? `<input type="hidden" name="school" value="${escapeHtml(options.schools[0].code)}"><p><strong>${escapeHtml(t.school)}:</strong> ${escapeHtml(options.schools[0].name)}</p>`
      : `<label for="school">${escapeHtml(t.school)}</label><select id="school" name="school"><option value="">${escapeHtml(t.schoolUnknown)}</option>${options.schools
          .map((s) => `<option value="${escapeHtml(s.code)}"${v.school === s.code ? ' selected' : ''}>${escapeHtml(s.name)}</option>`)
          .join('')}</select>`;
  const radios = (name: 'category' | 'urgency', values: readonly string[], labels: Record<string, string>, legend: string, fallback: string) =>
    `<fieldset><legend>${escapeHtml(legend)}</legend>${values
      .map(
        (value) =>
          `<label class="choice"><input type="radio" name="${name}" value="${value}"${(v[name] ?? fallback) === value ? ' checked' : ''}><span>${escapeHtml(labels[value] ?? value)}</span></label>`,
      )
      .join('')}</fieldset>`;
  return `<h1>${escapeHtml(t.title)}</h1><p>${escapeHtml(t.intro)}</p>${errors}
<form method="post" action="${escapeHtml(options.action)}" accept-charset="utf-8" autocomplete="off"><input type="hidden" name="language" value="${lang}">${options.district ? `<input type="hidden" name="district" value="${escapeHtml(options.district)}">` : ''}
<label for="description">${escapeHtml(t.description)}</label><p class="help" id="description-help">${escapeHtml(t.descriptionHelp)}</p>${languagesLine(lang)}<textarea id="description" name="description" required maxlength="5000" aria-describedby="description-help description-languages">${escapeHtml(v.description ?? '')}</textarea>
<label for="about">${escapeHtml(t.about)}</label><input id="about" name="about" maxlength="200" value="${escapeHtml(v.about ?? '')}">
${schoolField}
${radios('category', reportCategories, t.categories, t.category, 'other')}
${radios('urgency', urgencies, t.urgencies, t.urgency, 'routine')}
<label for="contact">${escapeHtml(t.contact)}</label><p class="help" id="contact-help">${escapeHtml(t.contactHelp)}</p><input id="contact" name="contact" maxlength="200" autocomplete="off" aria-describedby="contact-help" value="${escapeHtml(v.contact ?? '')}">
<button type="submit">${escapeHtml(t.submit)}</button></form>`;
}

/**
 * The languages triage reads, each in its own name and marked with its language, so a student
 * finds theirs at a glance and a screen reader says it right. Taken from triage itself, so the
 * page never promises a language the rules do not read.
 */
function languagesLine(lang: PublicLanguage): string {
  const t = publicText[lang];
  const names = triageLanguages.map((l) => `<span lang="${l.code}"${l.dir === 'rtl' ? ' dir="rtl"' : ''}>${escapeHtml(l.nativeName)}</span>`);
  const list = `${names.slice(0, -1).join(', ')} ${escapeHtml(t.languagesOr)} ${names.at(-1)}`;
  return `<p class="help" id="description-languages">${escapeHtml(t.languagesBefore)} ${list}. ${escapeHtml(t.languagesAfter)}</p>`;
}

/** The answer to a report: its follow-up code with the crisis lines, the same for every report. */
export function thanks(lang: PublicLanguage, code: string, spooled: boolean): string {
  const t = publicText[lang];
  return `<h1>${escapeHtml(t.thanksTitle)}</h1>${spooled ? `<p>${escapeHtml(t.thanksSpooled)}</p>` : ''}<p>${escapeHtml(t.thanksBody)}</p><p class="code" aria-label="${escapeHtml(t.code)}">${escapeHtml(code)}</p>
<p>${escapeHtml(t.thanksKeep)}</p><p><a href="/report/follow-up?lang=${lang}">${escapeHtml(t.followUpLink)}</a></p><p>${escapeHtml(t.lines)}</p>`;
}

/** The thanks page opened later than its code may be shown (or on another browser): no code, the way on. */
export function thanksGone(lang: PublicLanguage): string {
  const t = publicText[lang];
  return `<h1>${escapeHtml(t.thanksGoneTitle)}</h1><p>${escapeHtml(t.thanksGoneBody)}</p>
<p><a href="/report/follow-up?lang=${lang}">${escapeHtml(t.followUpLink)}</a> · <a href="/report?lang=${lang}">${escapeHtml(t.sendAnother)}</a></p><p>${escapeHtml(t.lines)}</p>`;
}

/**
 * A date and time as the reporter's school tells it: in the district's time zone, never the
 * server's, with the zone named, in the page's language.
 */
export function publicTime(at: Date, lang: PublicLanguage, timeZone: string): string {
  const options = { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' } as const;
  const locale = lang === 'es' ? 'es-US' : 'en-US';
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(at);
  } catch {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(at); // a zone this Node does not know
  }
}

export function followUpPage(
  lang: PublicLanguage,
  options: {
    code?: string;
    error?: string;
    notice?: string;
    status?: 'received' | 'in_progress' | 'closed';
    receivedAt?: Date;
    messages?: { direction: string; body: string; at: Date }[];
    /** The district's time zone, for every date shown. */
    timeZone?: string;
  },
): string {
  const t = publicText[lang];
  // POST, so the code never lands in the address bar or the history of a shared school computer.
  const lookup = `<form method="post" action="/report/follow-up" autocomplete="off"><input type="hidden" name="lang" value="${lang}"><label for="code">${escapeHtml(t.code)}</label><input id="code" name="code" required maxlength="40" autocomplete="off" value="${escapeHtml(options.code ?? '')}"><button type="submit">${escapeHtml(t.check)}</button></form>`;
  const error = options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : '';
  const notice = options.notice ? `<p role="status">${escapeHtml(options.notice)}</p>` : '';
  if (!options.status) return `<h1>${escapeHtml(t.followUpTitle)}</h1>${error}${lookup}`;
  const timeZone = options.timeZone ?? 'UTC';
  const about = `<p>${escapeHtml(t.reportCode)} <strong class="code">${escapeHtml(options.code ?? '')}</strong>${options.receivedAt ? `<br>${escapeHtml(t.receivedOn)}: ${escapeHtml(publicTime(options.receivedAt, lang, timeZone))}` : ''}</p>`;
  const messages = (options.messages ?? [])
    .map(
      (m) =>
        `<div class="msg"><p><strong>${escapeHtml(m.direction === 'to_reporter' ? t.fromTeam : t.fromYou)}</strong> · ${escapeHtml(publicTime(m.at, lang, timeZone))}</p><p>${escapeHtml(m.body)}</p></div>`,
    )
    .join('');
  const reply =
    options.status === 'closed'
      ? ''
      : `<form method="post" action="/report/follow-up/message" autocomplete="off"><input type="hidden" name="lang" value="${lang}"><input type="hidden" name="code" value="${escapeHtml(options.code ?? '')}"><label for="message">${escapeHtml(t.addInfo)}</label><textarea id="message" name="message" required maxlength="5000"></textarea><button type="submit">${escapeHtml(t.sendInfo)}</button></form>`;
  return `<h1>${escapeHtml(t.followUpTitle)}</h1>${about}${error}${notice}<p role="status"><strong>${escapeHtml(t.status[options.status])}</strong></p>${messages ? `<h2>${escapeHtml(t.messages)}</h2>${messages}` : ''}${reply}`;
}

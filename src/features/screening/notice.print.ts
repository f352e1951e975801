import { escapeHtml } from '../../platform/html.ts';

/**
 * Notice letters as one printable HTML page, one letter per sheet, each in its family's language.
 * The links to the instruments' questions stay printed in full (a family types them in) and are
 * also links on screen.
 */

const linked = (html: string) => html.replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);

export function noticePrintView(letters: { language: string; subject: string; body: string }[]): string {
  const sheets = letters
    .map(
      (l) =>
        `<article lang="${l.language}"><h1>${escapeHtml(l.subject)}</h1>${l.body
          .split('\n\n')
          .map((p) => `<p>${linked(escapeHtml(p)).replaceAll('\n', '<br>')}</p>`)
          .join('')}</article>`,
    )
    .join('');
  const empty = letters.length === 0 ? '<p>Every family in this window has an e-mail address on file; no printed letters are needed.</p>' : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Screening notice letters</title><style>
body{font:12pt/1.5 Georgia,serif;margin:2cm;color:#000}article{page-break-after:always;max-width:17cm}h1{font-size:15pt}
@media print{body{margin:0}}</style></head><body>${empty}${sheets}</body></html>`;
}

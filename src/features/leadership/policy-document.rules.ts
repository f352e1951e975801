/**
 * A policy version's document. The version holds its text; a district that keeps the signed
 * policy elsewhere (the board's policy site, a shared drive) gives its link, kept as the text's
 * last line ("Document: https://…") until policy versions have a column of their own for it. A link
 * written anywhere in the text counts too, so versions saved before the link field still open
 * their document. Only http and https links: nothing a browser would run.
 */
const documentLine = /^document:\s*(https?:\/\/\S+)\s*$/im;
const anyLink = /\bhttps?:\/\/[^\s<>"']+/i;

/** The version's document link (or null) and the text to show beside it, without the link line. */
export function policyDocument(stored: string): { url: string | null; text: string } {
  const line = documentLine.exec(stored);
  if (line?.[1]) return { url: trimPunctuation(line[1]), text: stored.replace(line[0], '').trim() };
  const link = anyLink.exec(stored);
  return { url: link ? trimPunctuation(link[0]) : null, text: stored.trim() };
}

/** The text to store for a version: its text, and its document link as the last line. */
export const withDocument = (text: string, url: string | undefined) => (url ? `${text.trim()}\n\nDocument: ${url}` : text.trim());

/** "See https://example.org/policy." ends the link before the full stop. */
const trimPunctuation = (url: string) => url.replace(/[.,;:!?)\]]+$/, '');

/**
 * The document of a policy version saved before versions had a `document_url` column (migration
 * 0026): for a short while the link was kept as the text's last line ("Document: https://…"), and
 * earlier versions may name it anywhere in their text. Only http and https links: nothing a
 * browser would run.
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

/** "See https://example.org/policy." ends the link before the full stop. */
const trimPunctuation = (url: string) => url.replace(/[.,;:!?)\]]+$/, '');

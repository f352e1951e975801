/**
 * The words on a student's code card, in the student's language: the screen is in English and
 * Spanish, so a Spanish-speaking home gets Spanish and every other home English. The button names
 * are the screen's own ("Begin", "Empezar"), so the card and the page agree.
 */
export const cardText = {
  en: {
    title: 'Your check-in code',
    steps: (url: string) => [`Go to ${url}`, 'Type this code and press Begin.', 'It works today only. Keep it to yourself.'],
  },
  es: {
    title: 'Tu código para el chequeo',
    steps: (url: string) => [
      `Entra en ${url}`,
      'Si la página está en inglés, elige «Español» arriba.',
      'Escribe este código y pulsa Empezar.',
      'Solo funciona hoy. No se lo muestres a nadie.',
    ],
  },
} as const;

export type CardLanguage = keyof typeof cardText;

/** The card's language for a student's home language (ISO 639-1 from the roster). */
export function cardLanguage(homeLanguage: string | null | undefined): CardLanguage {
  return homeLanguage?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

/** A card's words for one student: its language (for the page's `lang`), title and steps. */
export function cardInstructions(homeLanguage: string | null | undefined, screenUrl: string) {
  const lang = cardLanguage(homeLanguage);
  return { lang, title: cardText[lang].title, steps: [...cardText[lang].steps(screenUrl)] };
}

/**
 * Pure rules for the text and e-mail channels: how a number or address is written, where a
 * follow-up code is found in a reply, which language to answer in, what the answers say, and the
 * counting behind the SMTP listener's rate limits. No I/O, no clock of its own.
 */
import { normalizeFollowUpCode } from './reports.rules.ts';

export type InboundKind = 'sms' | 'email';

/**
 * Where a text or e-mail came in: the number or address it was sent to, which alone decides its
 * district. `reply` is the answer to send once the report is stored (an e-mail, encrypted), so it
 * survives a spool replay with the report it answers.
 */
export type InboundOrigin = { kind: InboundKind; to: string; reply?: string | undefined };

type Normalized = { ok: true; address: string } | { ok: false; en: string; es: string };

/**
 * A number in E.164 (+, country code, number: 8 to 15 digits), as SMS providers send `To`; the
 * spaces, dashes, dots and parentheses people type are dropped. Anything else is refused, never
 * guessed (a missing country code would route to the wrong country's number).
 */
export function normalizePhoneNumber(raw: string): Normalized {
  const compact = raw.trim().replace(/[\s().-]/g, '');
  if (/^\+[1-9]\d{7,14}$/.test(compact)) return { ok: true, address: compact };
  return {
    ok: false,
    en: `"${raw.trim().slice(0, 40)}" is not a phone number in E.164 form: write a plus sign, the country code and the number, e.g. +17205550100.`,
    es: `"${raw.trim().slice(0, 40)}" no es un número en formato E.164: escriba el signo más, el código de país y el número, p. ej. +17205550100.`,
  };
}

/** An e-mail address in lower case (the local part too: Haven's own intake addresses are case-blind). */
export function normalizeEmailAddress(raw: string): Normalized {
  const address = raw.trim().toLowerCase();
  if (address.length <= 254 && /^[^\s@<>"(),;:]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(address)) {
    return { ok: true, address };
  }
  return {
    ok: false,
    en: `"${raw.trim().slice(0, 60)}" is not an e-mail address such as help@district.org.`,
    es: `"${raw.trim().slice(0, 60)}" no es una dirección de correo como ayuda@distrito.org.`,
  };
}

export function normalizeAddress(kind: InboundKind, raw: string): Normalized {
  return kind === 'sms' ? normalizePhoneNumber(raw) : normalizeEmailAddress(raw);
}

/** Which kind an address is, as an operator types it for `channel remove`: an @ makes it e-mail. */
export function kindOfAddress(raw: string): InboundKind {
  return raw.includes('@') ? 'email' : 'sms';
}

/**
 * The follow-up codes a reply may carry: XXXX-XXXX-XXXX (dashes, as Haven writes it) in the
 * subject or the body; Haven's answers carry it in their subject, so a reply's "Re:" subject does
 * too. Every candidate is returned (at most five), so a look-alike earlier in the text cannot
 * hide the real one. Only a whole code continues a report; an address alone never does, since a
 * From header is easy to forge.
 */
export function findFollowUpCodes(text: string): string[] {
  const codes = new Set<string>();
  for (const match of text.matchAll(/(?<![0-9A-Za-z-])([0-9A-Za-z]{4})-([0-9A-Za-z]{4})-([0-9A-Za-z]{4})(?![0-9A-Za-z-])/g)) {
    const code = normalizeFollowUpCode(`${match[1]}${match[2]}${match[3]}`);
    if (code) codes.add(code);
    if (codes.size === 5) break;
  }
  return [...codes];
}

/** A rough guess of the language of a text message, so the answer is in it too. */
export function guessLanguage(text: string): 'en' | 'es' {
  const spanish = (text.toLowerCase().match(/\b(el|la|los|las|que|mi|por|ayuda|escuela|tengo|quiere|está|esta|amigo|amiga|miedo)\b/g) ?? []).length;
  return spanish >= 2 ? 'es' : 'en';
}

/** At most `max` UTF-16 units, never cutting a character (a surrogate pair, such as an emoji) in half. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

const lines = { crisis: 'In danger now? Call 911. To talk now: call or text 988.' };

/** What a sender is told, in their language. Every answer carries 911 and 988. */
export const channelAnswers = {
  en: {
    received: (code: string) => `Haven: we received your report. A person at the school will act on it. Your follow-up code: ${code}. ${lines.crisis}`,
    appended: `Haven: we added your message to your report. ${lines.crisis}`,
    unrouted: (kind: InboundKind) =>
      `Haven: we received your message, but this ${kind === 'sms' ? 'number' : 'address'} is not yet connected to a school, so no school team has seen it yet. We are getting it to the right people. ${lines.crisis}`,
    nowRouted: (code: string) => `Haven: your earlier message has now reached a school team, who will act on it. Your follow-up code: ${code}. ${lines.crisis}`,
    subject: (code: string) => `Your report to Haven - follow-up code ${code}`,
    unroutedSubject: 'Your message to Haven',
    replyHint: 'To add to your report, reply to this e-mail and keep the follow-up code in the subject.',
    teamSubject: (reference: string) => `A message about your report - reference ${reference}`,
    teamReplyHint: 'To answer, reply to this e-mail and keep the reference in the subject. In danger now? Call 911. To talk now: call or text 988.',
  },
  es: {
    received: (code: string) =>
      `Haven: recibimos su reporte. Una persona de la escuela actuará. Su código de seguimiento: ${code}. ¿En peligro ahora? Llame al 911. Para hablar ahora: llame o envíe un texto al 988.`,
    appended: 'Haven: agregamos su mensaje a su reporte. ¿En peligro ahora? Llame al 911. Para hablar ahora: llame o envíe un texto al 988.',
    unrouted: (kind: InboundKind) =>
      `Haven: recibimos su mensaje, pero ${kind === 'sms' ? 'este número' : 'esta dirección'} aún no está conectado a una escuela, así que ningún equipo escolar lo ha visto todavía. Lo estamos haciendo llegar a las personas indicadas. ¿En peligro ahora? Llame al 911. Para hablar ahora: llame o envíe un texto al 988.`,
    nowRouted: (code: string) =>
      `Haven: su mensaje anterior ya llegó a un equipo escolar, que actuará. Su código de seguimiento: ${code}. ¿En peligro ahora? Llame al 911. Para hablar ahora: llame o envíe un texto al 988.`,
    subject: (code: string) => `Su reporte a Haven - código de seguimiento ${code}`,
    unroutedSubject: 'Su mensaje a Haven',
    replyHint: 'Para agregar a su reporte, responda a este correo y mantenga el código de seguimiento en el asunto.',
    teamSubject: (reference: string) => `Un mensaje sobre su reporte - referencia ${reference}`,
    teamReplyHint:
      'Para responder, conteste este correo y mantenga la referencia en el asunto. ¿En peligro ahora? Llame al 911. Para hablar ahora: llame o envíe un texto al 988.',
  },
} as const;

/**
 * A fixed-window counter per key (a sender, or `*` for everyone): `take` says whether one more
 * is allowed in the window that holds `nowMs`. Old windows are dropped as the map grows, so a
 * flood of distinct senders cannot grow it without bound.
 */
export function windowLimiter(limit: number, windowMs: number, maxKeys = 10_000) {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key: string, nowMs: number): boolean {
      const start = nowMs - (nowMs % windowMs);
      const current = windows.get(key);
      if (!current || current.start !== start) {
        if (windows.size >= maxKeys) for (const [k, w] of windows) if (w.start !== start) windows.delete(k);
        if (windows.size >= maxKeys) return false;
        windows.set(key, { start, count: 1 });
        return true;
      }
      if (current.count >= limit) return false;
      current.count += 1;
      return true;
    },
    /** Seconds until the window that holds `nowMs` ends. */
    retryAfterSeconds(nowMs: number): number {
      return Math.ceil((windowMs - (nowMs % windowMs)) / 1000);
    },
  };
}

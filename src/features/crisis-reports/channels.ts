import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Deps } from '../../platform/deps.ts';
import { dropNul } from '../../platform/errors.ts';
import { appendFromReporter, findOpenConversation } from './conversation.service.ts';
import type { ReportInput } from './crisis-reports.schema.ts';
import { receiveReport } from './intake.service.ts';

/** A rough guess of the language of a text message, so the reply is in it too. */
export function guessLanguage(text: string): 'en' | 'es' {
  const spanish = (text.toLowerCase().match(/\b(el|la|los|las|que|mi|por|ayuda|escuela|tengo|quiere|está|esta|amigo|amiga|miedo)\b/g) ?? []).length;
  return spanish >= 2 ? 'es' : 'en';
}

const replies = {
  en: {
    received: (code: string) =>
      `Haven: we received your report. A person at the school will act on it. Your follow-up code: ${code}. In danger now? Call 911. To talk now: call or text 988.`,
    appended: 'Haven: we added your message to your report. In danger now? Call 911. To talk now: call or text 988.',
  },
  es: {
    received: (code: string) =>
      `Haven: recibimos su reporte. Una persona de la escuela actuará. Su código de seguimiento: ${code}. ¿En peligro ahora? Llame al 911. Para hablar ahora: llame o envíe un texto al 988.`,
    appended: 'Haven: agregamos su mensaje a su reporte. ¿En peligro ahora? Llame al 911. Para hablar ahora: llame o envíe un texto al 988.',
  },
};

/** At most `max` UTF-16 units, never cutting a character (a surrogate pair, such as an emoji) in half. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/**
 * A message from a reply address (SMS number or e-mail) continues that address's open report, or
 * starts a new one. Returns the text to answer with.
 */
export async function receiveFromChannel(deps: Deps, channel: 'sms' | 'email', from: string, text: string): Promise<string> {
  const body = clip((dropNul(text) as string).trim(), 5000) || '(empty message)';
  const language = guessLanguage(body);
  const open = await findOpenConversation(deps, from);
  if (open) {
    await appendFromReporter(deps, open, body);
    return replies[language].appended;
  }
  const input: ReportInput = { description: body, category: 'other', urgency: 'routine', language };
  const received = await receiveReport(deps, channel, input, { replyAddress: from });
  return replies[language].received(received.followUpCode);
}

/**
 * The e-mail channel: a built-in SMTP listener. Each message to it becomes a report (or continues
 * the sender's open one); the answer, with the follow-up code, goes back by SMTP.
 */
export async function startEmailIntake(deps: Deps, port: number, host = '0.0.0.0'): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH'],
    // Without a certificate STARTTLS would be offered with a self-signed one; many senders retry in clear.
    hideSTARTTLS: true,
    size: 256 * 1024,
    logger: false,
    async onData(stream, session, callback) {
      try {
        const mail = await simpleParser(stream);
        const from = mail.from?.value[0]?.address ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined);
        if (!from) return callback(new Error('A sender address is needed to answer you.'));
        const text = [mail.subject, mail.text].filter(Boolean).join('\n\n');
        const answer = await receiveFromChannel(deps, 'email', from, text);
        callback();
        await deps.mailer.send({ to: from, subject: 'Re: your report to Haven', text: answer }).catch(() => undefined);
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import dns from 'node:dns';
import { type SpfResolver, spf } from 'mailauth/lib/spf/index.js';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Deps } from '../../platform/deps.ts';
import { receiveFromChannel } from './channel-intake.service.ts';
import { windowLimiter } from './inbound-channels.rules.ts';

export type EmailIntakeOptions = {
  port: number;
  host?: string;
  /** Largest message taken, in bytes; a larger one is refused (552) while it streams in, and never parsed. */
  maxBytes?: number;
  /** Connections open at once; one more is told 421 (try later) and closed. */
  maxClients?: number;
  /** Messages per envelope sender per minute, and for everyone together; over them a sender is told 450/451 and its mail server retries. */
  perSenderPerMinute?: number;
  globalPerMinute?: number;
  /** Certificate and key (PEM): STARTTLS is offered only with them (a self-signed fallback would teach senders to ignore TLS errors). */
  tls?: { cert: string | Buffer; key: string | Buffer } | undefined;
  /** DNS for the SPF check; tests pass a local function so no check goes to the network. */
  spfResolver?: SpfResolver;
  /** Told what happened, never a message's words or its sender. */
  log?: (line: string) => void;
};

const defaults = { maxBytes: 256 * 1024, maxClients: 50, perSenderPerMinute: 6, globalPerMinute: 300 };
const spfDeadlineMs = 5000;

/** An SMTP answer: a 4xx makes the sender's mail server keep the message and try again later, so nothing is lost. */
function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * SPF for the envelope sender and the connecting address. Only `fail` and `softfail` withhold
 * the automatic answer (the sender's domain says this server may not send its mail, so the
 * address is likely forged and an answer would be backscatter to someone who wrote nothing).
 * A DNS timeout or error gives no verdict, and the answer is sent.
 */
async function senderMayBeAnswered(session: SMTPServerSession, sender: string, resolver: SpfResolver): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'temperror'>((resolve) => {
    timer = setTimeout(() => resolve('temperror'), spfDeadlineMs).unref();
  });
  const check = spf({ sender, ip: session.remoteAddress, helo: session.hostNameAppearsAs, mta: 'haven', resolver }).then(
    (result) => result.status.result,
    () => 'temperror' as const,
  );
  const verdict = await Promise.race([check, deadline]).finally(() => clearTimeout(timer));
  return verdict !== 'fail' && verdict !== 'softfail';
}

/**
 * Reads a message as it streams in, keeping at most `maxBytes`: past that it stops keeping the
 * bytes (they are counted and dropped), so an oversize message costs no memory and is refused.
 */
function readLimited(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(bytes > maxBytes || stream.sizeExceeded ? 'too_large' : Buffer.concat(chunks)));
  });
}

/**
 * The e-mail channel: a built-in SMTP listener. A message is routed by its envelope recipient
 * (RCPT TO, one per message) to the district that owns that address, and becomes a report
 * there, continues one (only with its follow-up code), or is held for the operator. The answer,
 * with the code in its subject, goes back through the outbox, unless the sender failed SPF.
 */
export async function startEmailIntake(deps: Deps, options: EmailIntakeOptions): Promise<{ port: number; close(): Promise<void> }> {
  const maxBytes = options.maxBytes ?? defaults.maxBytes;
  const perSender = windowLimiter(options.perSenderPerMinute ?? defaults.perSenderPerMinute, 60_000);
  const everyone = windowLimiter(options.globalPerMinute ?? defaults.globalPerMinute, 60_000);
  const resolver = options.spfResolver ?? ((domain: string, type: string) => dns.promises.resolve(domain, type));
  const log = options.log ?? (() => undefined);
  const server = new SMTPServer({
    banner: 'Haven report intake',
    authOptional: true,
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    hideSTARTTLS: !options.tls,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    size: maxBytes,
    maxClients: options.maxClients ?? defaults.maxClients,
    logger: false,
    onMailFrom(address, _session, callback) {
      const sender = address.address.trim().toLowerCase();
      if (!sender) return callback(smtpError(550, '5.7.1 This address takes messages from people; delivery notices are not accepted.'));
      const now = deps.clock.now().getTime();
      if (!perSender.take(sender, now)) {
        return callback(smtpError(450, `4.7.1 Too many messages from this sender; please try again in ${perSender.retryAfterSeconds(now)} seconds.`));
      }
      if (!everyone.take('*', now)) {
        return callback(smtpError(451, `4.7.1 Haven is receiving many messages right now; please try again in ${everyone.retryAfterSeconds(now)} seconds.`));
      }
      callback();
    },
    onRcptTo(_address, session, callback) {
      // One district per message: the sender's mail server sends the other recipients again, separately.
      if (session.envelope.rcptTo.length >= 1) return callback(smtpError(452, '4.5.3 One recipient per message, please; send it again to the next one.'));
      callback();
    },
    onData(stream, session, callback) {
      const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const recipient = session.envelope.rcptTo[0]?.address ?? '';
      const answerable = senderMayBeAnswered(session, sender, resolver);
      readLimited(stream, maxBytes)
        .then(async (raw) => {
          if (raw === 'too_large') {
            log(`An e-mail over ${maxBytes} bytes was refused.`);
            return callback(
              smtpError(552, `5.3.4 This message is larger than the ${Math.round(maxBytes / 1024)} KB Haven takes; send the words without attachments.`),
            );
          }
          const mail = await simpleParser(raw);
          const text = [mail.subject, mail.text].filter(Boolean).join('\n\n');
          const answerByEmail = await answerable;
          if (!answerByEmail) log('An e-mail report whose sender failed SPF was stored; no automatic answer was sent.');
          const received = await receiveFromChannel(deps, { kind: 'email', to: recipient, from: sender, text, answerByEmail });
          if (received.outcome === 'held') log(`An e-mail to ${recipient}, which no district owns, was held for the operator.`);
          callback();
        })
        .catch(() => {
          log('An e-mail could not be stored; the sender was asked to try again.');
          callback(smtpError(451, '4.3.0 Haven could not store your message just now; please try again shortly.'));
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  server.on('error', (error) => log(`SMTP intake: ${error.message}`));
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

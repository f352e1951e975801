import nodemailer from 'nodemailer';

/** An attachment such as an appointment's .ics file. */
export type Attachment = { filename: string; content: string; contentType: string };
export type Mail = { to: string; subject: string; text: string; attachments?: Attachment[] };
export type Mailer = { send(mail: Mail): Promise<void> };

/**
 * Outgoing mail over SMTP. Without SMTP_URL, development and test write the message to the log
 * (so a newcomer can follow a password-reset link); production refuses, because a reset link in
 * a server log is a credential in the wrong place.
 */
export function createMailer(options: {
  smtpUrl: string | undefined;
  from: string;
  environment: 'development' | 'production' | 'test';
  log: (message: string) => void;
}): Mailer {
  if (!options.smtpUrl) {
    return {
      async send(mail) {
        if (options.environment === 'production') {
          throw new Error('No SMTP server is configured (SMTP_URL); the e-mail could not be sent.');
        }
        options.log(`E-mail not sent (no SMTP_URL set; development only) to ${mail.to}: ${mail.subject}\n${mail.text}`);
      },
    };
  }
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text, attachments: mail.attachments ?? [] });
    },
  };
}

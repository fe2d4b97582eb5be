import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

const transports = new Map<string, Transporter>();

function transporter(smtpUrl: string): Transporter {
  let t = transports.get(smtpUrl);
  if (!t) {
    // One pooled connection per server instead of a TCP + SMTP handshake per message.
    const url = new URL(smtpUrl);
    url.searchParams.set('pool', 'true');
    transports.set(smtpUrl, (t = nodemailer.createTransport(url.toString())));
  }
  return t;
}

/** Closes pooled SMTP connections (server shutdown). */
export function closeWelcomeTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}

export interface WelcomeMessage {
  email: string;
  name: string;
  number: string;
}

/** SPEC §2 welcome email: sent once, when the extension is created. */
export async function sendWelcome(config: Pick<Config, 'smtpUrl' | 'smtpFrom'>, message: WelcomeMessage): Promise<void> {
  if (!config.smtpUrl) {
    throw new AppError('smtp_not_configured', 'Welcome emails are on but no SMTP server is configured.', {
      hint: 'Set SMTP_URL (e.g. smtp://user:pass@mail.example.com:587) or turn welcomeEmail off.',
    });
  }
  await transporter(config.smtpUrl).sendMail({
    from: config.smtpFrom,
    to: message.email,
    subject: `Your phone extension ${message.number}`,
    text: [
      `Hello ${message.name},`,
      '',
      `your phone extension is ${message.number}.`,
      'Sign in to the UC client with your Microsoft account to start using it.',
    ].join('\n'),
  });
}

// Outgoing email over SMTP (nodemailer), configured by SMTP_URL and MAIL_FROM. Without an
// SMTP_URL there is no mailer and nothing is ever sent. Addresses and contents are never
// logged; a failed send is logged by the caller with the user's id and the error's code.
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

export function createMailer(config: Config['mail']): Mailer | null {
  const url = config.smtpUrl;
  if (!url) return null;
  // nodemailer is loaded with the first email: a server that sends none does not carry it.
  let transport: Promise<Transporter> | null = null;
  const ready = (): Promise<Transporter> =>
    (transport ??= import('nodemailer').then((m) => m.default.createTransport(url)));
  return {
    async send(mail) {
      await (await ready()).sendMail({ from: config.from, ...mail });
    },
    close() {
      void transport?.then((t) => t.close());
    },
  };
}

/** What a failed send is logged as: the SMTP or socket error's code, never its text. */
export function mailErrorCode(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code ?? 'unknown';
}

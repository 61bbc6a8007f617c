// Outgoing email over SMTP (nodemailer), configured by SMTP_URL and MAIL_FROM. Without an
// SMTP_URL there is no mailer and nothing is ever sent. Addresses and contents are never
// logged; a failed send is logged by the caller with the user's id and the error's code.
import nodemailer from 'nodemailer';
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
  if (!config.smtpUrl) return null;
  const transport = nodemailer.createTransport(config.smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({ from: config.from, ...mail });
    },
    close() {
      transport.close();
    },
  };
}

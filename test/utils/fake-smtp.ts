// A local stand-in for an SMTP relay, for the server's real nodemailer transport (pointed
// here with SMTP_URL): smtp-server on 127.0.0.1, no TLS or auth, every message parsed with
// mailparser and kept. Registers its own teardown.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { registerCleanup } from './cleanup.js';
import { withTimeout } from './wait-for.js';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface FakeSmtp {
  /** for SMTP_URL */
  url: string;
  mails: ReceivedMail[];
  /** The first mail to `address`, received already or still to come. */
  mailTo(address: string, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startFakeSmtp(): Promise<FakeSmtp> {
  const mails: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          });
          for (const wake of waiters) wake();
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  let closed: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => server.close(() => resolve())));
  registerCleanup(close);
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    mailTo(address, timeoutMs = 10_000) {
      const found = (): ReceivedMail | undefined => mails.find((m) => m.to.includes(address));
      const now = found();
      if (now) return Promise.resolve(now);
      let wake: (() => void) | undefined;
      const arrived = new Promise<ReceivedMail>((resolve) => {
        wake = () => {
          const mail = found();
          if (mail) resolve(mail);
        };
        waiters.add(wake);
      });
      return withTimeout(arrived, timeoutMs, `a mail to ${address}`).finally(() =>
        waiters.delete(wake!),
      );
    },
    close,
  };
}

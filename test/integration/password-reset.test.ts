// "Forgot your password?" end to end: the real server's nodemailer transport sends the link
// to a local SMTP server. The link's code sets a new password once and ends every session;
// older links of the account stop working with it, an expired one never works, and the
// answer to a request is the same whether or not an account uses the address. Without a
// known public origin (links would be built from the request's Host) the server offers no
// reset at all. With both, invite links go out by email too.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { serverConfigResponseSchema } from '@canopy/shared';
import { startFakeSmtp } from '../utils/fake-smtp.js';
import type { FakeSmtp, ReceivedMail } from '../utils/fake-smtp.js';
import { HttpClient, newUser } from '../utils/http-client.js';
import { freePort, startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';

const NEW_PASSWORD = 'a fresh passphrase';

async function setup(): Promise<{ smtp: FakeSmtp; server: TestServer; origin: string }> {
  const smtp = await startFakeSmtp();
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = await startTestServer({
    env: { SMTP_URL: smtp.url, PORT: String(port), PUBLIC_ORIGIN: origin },
  });
  return { smtp, server, origin };
}

function codeIn(mail: ReceivedMail): string {
  const code = /\/reset-password\?code=([\w-]{43})\n/.exec(mail.text)?.[1];
  if (!code) throw new Error(`no reset link in: ${mail.text}`);
  return code;
}

async function ask(client: HttpClient, email: string): Promise<void> {
  const r = await client.post('/api/auth/password-reset', { email });
  expect(r.status).toBe(202);
}

/** The n-th mail to arrive for the address (1-based), received already or still to come. */
async function nthMailTo(smtp: FakeSmtp, address: string, n: number): Promise<ReceivedMail> {
  await expect
    .poll(() => smtp.mails.filter((m) => m.to.includes(address)).length)
    .toBeGreaterThanOrEqual(n);
  return smtp.mails.filter((m) => m.to.includes(address))[n - 1]!;
}

describe('password reset by email', () => {
  it('sets a new password once with the emailed link and ends every session', async () => {
    const { smtp, server, origin } = await setup();
    const ben = await newUser(server.url, 'ben');
    const visitor = new HttpClient(server.url);
    const config = serverConfigResponseSchema.parse((await visitor.get('/api/config')).body);
    expect(config.email).toEqual({ available: true, passwordReset: true, invites: true });

    await ask(visitor, ben.user!.email.toUpperCase());
    const mail = await smtp.mailTo(ben.user!.email);
    expect(mail.subject).toBe('Reset your Canopy password');
    expect(mail.text).toContain(`@${ben.user!.username}`);
    expect(mail.text).toContain(`${origin}/reset-password?code=`);
    const code = codeIn(mail);

    // The link's code: a new password, and Ben's session is over.
    expect((await ben.get('/api/me')).status).toBe(200);
    const done = await visitor.post('/api/auth/password-reset/confirm', {
      code,
      newPassword: NEW_PASSWORD,
    });
    expect(done.status).toBe(204);
    expect((await ben.get('/api/me')).status).toBe(401);
    const oldLogin = await visitor.post('/api/auth/login', {
      login: ben.user!.username,
      password: 'correct horse battery',
    });
    expect(oldLogin.status).toBe(401);
    await visitor.login(ben.user!.username, NEW_PASSWORD);

    // Once only.
    const again = await new HttpClient(server.url).post('/api/auth/password-reset/confirm', {
      code,
      newPassword: 'yet another passphrase',
    });
    expect(again.status).toBe(400);
    expect((again.body as { error: { code: string } }).error.code).toBe('reset_invalid');

    // The audit log has both steps, and never the code.
    const rows = server.query<{ action: string; details: string | null }>(
      "SELECT action, details FROM audit_log WHERE action LIKE 'password_reset%'",
    );
    expect(rows.map((r) => r.action)).toEqual([
      'password_reset_requested',
      'password_reset_by_email',
    ]);
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it('answers the same for unknown addresses, refuses bad, old and expired codes', async () => {
    const { smtp, server } = await setup();
    const visitor = new HttpClient(server.url);
    const cyd = await newUser(server.url, 'cyd');
    const dee = await newUser(server.url, 'dee');

    await ask(visitor, 'nobody@example.test');
    // Two links for Cyd (in whichever order they arrive): using one ends the other.
    await ask(visitor, cyd.user!.email);
    await ask(visitor, cyd.user!.email);
    const [first, second] = [
      codeIn(await nthMailTo(smtp, cyd.user!.email, 1)),
      codeIn(await nthMailTo(smtp, cyd.user!.email, 2)),
    ];
    expect(first).not.toBe(second);
    const confirm = (code: string) =>
      visitor.post('/api/auth/password-reset/confirm', { code, newPassword: NEW_PASSWORD });
    expect((await confirm(second)).status).toBe(204);
    expect((await confirm(first)).status).toBe(400);
    expect(smtp.mails.some((m) => m.to.includes('nobody@example.test'))).toBe(false);

    // An expired link.
    await ask(visitor, dee.user!.email);
    const expired = codeIn(await smtp.mailTo(dee.user!.email));
    const db = new Database(server.dbFile);
    try {
      db.prepare('UPDATE password_resets SET expires_at = 0').run();
    } finally {
      db.close();
    }
    expect((await confirm(expired)).status).toBe(400);

    // Malformed requests change nothing.
    expect(
      (await visitor.post('/api/auth/password-reset', { email: 'not an address' })).status,
    ).toBe(422);
    expect(
      (await visitor.post('/api/auth/password-reset', { email: cyd.user!.email, extra: 1 })).status,
    ).toBe(422);
    expect(
      (
        await visitor.post('/api/auth/password-reset/confirm', {
          code: 'short',
          newPassword: NEW_PASSWORD,
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await visitor.post('/api/auth/password-reset/confirm', {
          code: second,
          newPassword: 'short',
        })
      ).status,
    ).toBe(422);
  });

  it('emails an invite link that creates an account', async () => {
    const { smtp, server, origin } = await setup();
    const admin = await newUser(server.url, 'root'); // the first account
    await admin.expect(
      200,
      admin.request('PUT', '/api/admin/signup', { body: { policy: 'invite' } }),
    );
    const created = await admin.expect(
      201,
      admin.post('/api/admin/invites', { email: 'New.Person@Example.test' }),
    );
    expect((created.body as { emailed: boolean }).emailed).toBe(true);
    const mail = await smtp.mailTo('new.person@example.test');
    expect(mail.subject).toBe(`${admin.user!.displayName} invites you to Canopy`);
    const code = new RegExp(`${origin}/signup\\?invite=([\\w-]{43})\n`).exec(mail.text)?.[1];
    expect(code).toBe((created.body as { code: string }).code);
    const guest = new HttpClient(server.url);
    const joined = await guest.post('/api/auth/signup', {
      username: 'newperson',
      email: 'new.person@example.test',
      password: NEW_PASSWORD,
      invite: code,
    });
    expect(joined.status).toBe(201);
    expect(
      (await admin.request('POST', '/api/admin/invites', { body: { email: 'not an address' } }))
        .status,
    ).toBe(422);
  });

  it('sends a few links an hour per account, and none without a public origin', async () => {
    const { smtp, server } = await setup();
    const visitor = new HttpClient(server.url);
    const eve = await newUser(server.url, 'eve');
    for (let i = 0; i < 4; i++) await ask(visitor, eve.user!.email);
    await nthMailTo(smtp, eve.user!.email, 3);
    // The fourth was answered like the others but sent nothing: a later mail to someone else
    // arrives after it would have.
    const fay = await newUser(server.url, 'fay');
    await ask(visitor, fay.user!.email);
    await smtp.mailTo(fay.user!.email);
    expect(smtp.mails.filter((m) => m.to.includes(eve.user!.email))).toHaveLength(3);

    const plain = await startTestServer({ env: { SMTP_URL: smtp.url } });
    const other = new HttpClient(plain.url);
    const config = serverConfigResponseSchema.parse((await other.get('/api/config')).body);
    expect(config.email).toEqual({ available: true, passwordReset: false, invites: false });
    const refused = await other.post('/api/auth/password-reset', { email: eve.user!.email });
    expect(refused.status).toBe(404);
    // Nor are invites emailed there.
    const root = await newUser(plain.url, 'root');
    const noMail = await root.post('/api/admin/invites', { email: eve.user!.email });
    expect(noMail.status).toBe(409);
  });
});

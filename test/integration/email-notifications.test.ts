// Email for people who are away, end to end: the real server's nodemailer transport sends
// to a local SMTP server. A direct message or a mention waits the configured delay and, if
// the person is still away, comes as one email that names who wrote where, without the
// message text. Nothing is sent to someone online, someone not mentioned, someone who
// turned email off, or about a muted direct message; after one email the next waits until
// the person has been back. An edit counts as a mention only for the people it newly names.
//
// That an email was not sent is checked with a later one: a fresh "sentinel" user is
// mentioned afterwards, and every timer started before theirs has fired by the time their
// email arrives (all wait the same delay).
import { describe, expect, it } from 'vitest';
import { groupResponseSchema } from '@canopy/shared';
import type { GroupId } from '@canopy/shared';
import { startFakeSmtp } from '../utils/fake-smtp.js';
import type { FakeSmtp } from '../utils/fake-smtp.js';
import { HttpClient, newUser } from '../utils/http-client.js';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';

async function setup(): Promise<{ smtp: FakeSmtp; server: TestServer; ana: HttpClient }> {
  const smtp = await startFakeSmtp();
  const server = await startTestServer({
    env: {
      SMTP_URL: smtp.url,
      EMAIL_DELAY_SECONDS: '0.2',
      MAIL_FROM: 'Canopy <chat@example.test>',
    },
    config: { presenceGraceMs: 0 },
  });
  return { smtp, server, ana: await newUser(server.url, 'ana') };
}

async function dmWith(from: HttpClient, to: HttpClient): Promise<GroupId> {
  const r = await from.expect(201, from.post('/api/dms', { userId: to.user!.id }));
  return groupResponseSchema.parse(r.body).group.id;
}

/** An email to a user mentioned after everything before has been decided. */
async function sentinel(server: TestServer, smtp: FakeSmtp, ana: HttpClient): Promise<void> {
  const witness = await newUser(server.url, 'witness');
  const group = await ana.createGroup('Witness', [witness.user!.id]);
  await ana.postMessage(group.id, `ping @${witness.user!.username}`);
  await smtp.mailTo(witness.user!.email);
}

/** Opens the user's event stream (they are "here") until the returned function is called. */
async function comeOnline(server: TestServer, user: HttpClient): Promise<() => void> {
  const abort = new AbortController();
  const res = await fetch(`${server.url}/api/events`, {
    headers: { cookie: user.cookieHeader(), accept: 'text/event-stream' },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  return () => abort.abort();
}

describe('email for people who are away', () => {
  it('sums up direct messages and mentions in one email without their text, once', async () => {
    const { smtp, server, ana } = await setup();
    const ben = await newUser(server.url, 'ben');
    const cyd = await newUser(server.url, 'cyd');
    const dm = await dmWith(ana, ben);
    const design = await ana.createGroup('Design', [ben.user!.id, cyd.user!.id]);

    await ana.postMessage(dm, 'the secret plan is alpha');
    await ana.postMessage(design.id, `hello @${ben.user!.username}, see the mockups`);
    await ana.postMessage(design.id, 'and a message that mentions nobody');
    await ana.postMessage(dm, 'are you there?');

    const mail = await smtp.mailTo(ben.user!.email);
    const name = ana.user!.displayName;
    expect(mail.from).toBe('chat@example.test');
    expect(mail.subject).toBe('2 conversations have news for you');
    expect(mail.text).toContain(`Hi ${ben.user!.displayName},`);
    expect(mail.text).toContain(`- ${name} sent you 2 messages`);
    expect(mail.text).toContain(`- ${name} mentioned you in Design`);
    for (const secret of ['secret plan', 'mockups', 'are you there']) {
      expect(mail.text).not.toContain(secret);
      expect(mail.subject).not.toContain(secret);
    }

    // Ben was emailed and has not been back: more messages wait for him in the app.
    await ana.postMessage(dm, 'one more thing');
    await sentinel(server, smtp, ana);
    expect(smtp.mails.filter((m) => m.to.includes(ben.user!.email))).toHaveLength(1);
    // Cyd was in the group but never mentioned, and the writer is never emailed.
    expect(smtp.mails.filter((m) => m.to.includes(cyd.user!.email))).toHaveLength(0);
    expect(smtp.mails.filter((m) => m.to.includes(ana.user!.email))).toHaveLength(0);
  });

  it('emails about an edit only the people it newly mentions', async () => {
    const { smtp, server, ana } = await setup();
    const ben = await newUser(server.url, 'ben');
    const cyd = await newUser(server.url, 'cyd');
    const group = await ana.createGroup('Plans', [ben.user!.id, cyd.user!.id]);
    const message = await ana.postMessage(group.id, `lunch, @${ben.user!.username}?`);
    const benMail = await smtp.mailTo(ben.user!.email);
    expect(benMail.text).toContain('mentioned you in Plans');

    const edit = (text: string) =>
      ana.expect(204, ana.patch(`/api/groups/${group.id}/messages/${message.id}`, { text }));
    await edit(`lunch, @${ben.user!.username}? at noon`); // names nobody new
    await edit(`lunch, @${ben.user!.username} and @${cyd.user!.username}?`);
    const cydMail = await smtp.mailTo(cyd.user!.email);
    expect(cydMail.text).toContain(`${ana.user!.displayName} mentioned you in Plans`);
    expect(cydMail.text).not.toContain('lunch');
    await sentinel(server, smtp, ana);
    expect(smtp.mails.filter((m) => m.to.includes(ben.user!.email))).toHaveLength(1);
    expect(smtp.mails.filter((m) => m.to.includes(cyd.user!.email))).toHaveLength(1);
  });

  it('emails nobody who is online, turned email off or muted the conversation', async () => {
    const { smtp, server, ana } = await setup();
    const ben = await newUser(server.url, 'ben');
    const cyd = await newUser(server.url, 'cyd');
    const dee = await newUser(server.url, 'dee');
    const [toBen, toCyd, toDee] = [
      await dmWith(ana, ben),
      await dmWith(ana, cyd),
      await dmWith(ana, dee),
    ];

    // Ben is here: the app shows it to him.
    const leave = await comeOnline(server, ben);
    await ana.postMessage(toBen, 'while you are here');
    // Cyd turned email off.
    await cyd.expect(200, cyd.request('PUT', '/api/me/notifications', { body: { email: false } }));
    expect((await cyd.expect(200, cyd.get('/api/me/notifications'))).body).toEqual({
      email: false,
    });
    await ana.postMessage(toCyd, 'you will not hear of this');
    // Dee muted the direct message.
    await dee.expect(
      200,
      dee.request('PUT', `/api/groups/${toDee}/mute`, { body: { until: null } }),
    );
    await ana.postMessage(toDee, 'muted, so no email');
    await sentinel(server, smtp, ana);
    for (const user of [ben, cyd, dee]) {
      expect(
        smtp.mails.filter((m) => m.to.includes(user.user!.email)),
        user.user!.username,
      ).toEqual([]);
    }

    // Ben leaves: the next message reaches him by email.
    leave();
    await expect
      .poll(
        async () => {
          await ana.postMessage(toBen, 'now that you are away');
          return smtp.mails.some((m) => m.to.includes(ben.user!.email));
        },
        { timeout: 10_000, interval: 300 },
      )
      .toBe(true);
    const mail = await smtp.mailTo(ben.user!.email);
    expect(mail.subject).toMatch(new RegExp(`^${ana.user!.displayName} sent you`));

    // Bad input to the setting is refused and changes nothing.
    const bad = await cyd.request('PUT', '/api/me/notifications', { body: { email: 'yes' } });
    expect(bad.status).toBe(422);
    expect((await cyd.expect(200, cyd.get('/api/me/notifications'))).body).toEqual({
      email: false,
    });
    expect((await new HttpClient(server.url).get('/api/me/notifications')).status).toBe(401);
  });
});

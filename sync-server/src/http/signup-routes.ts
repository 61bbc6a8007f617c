// Who may sign up (admins only, under /api/admin): the policy (open, by invite, closed) and
// the invite links, which the server can also email (with SMTP_URL and PUBLIC_ORIGIN). An
// invite's code is in the creation's answer (and the email, when one is asked for) and
// nowhere else: the list shows uses, expiry and revocation, and the audit log names
// invites by id.
import { Hono } from 'hono';
import { createInviteRequestSchema, inviteIdSchema, signupSettingsSchema } from '@canopy/shared';
import type { SignupSettings } from '@canopy/shared';
import { AuditAction } from '../audit.js';
import { toInvite } from '../db/invite-store.js';
import { mailErrorCode } from '../mail/mailer.js';
import type { Mail } from '../mail/mailer.js';
import { conflict, notFound } from './api-error.js';
import type { AppEnv } from './context.js';
import { readJson, requireAdmin } from './context.js';
import type { RouteDeps } from './route-deps.js';

/** Old invites are kept (the audit log names them) but only the newest are listed. */
const MAX_LISTED_INVITES = 200;

export function signupRoutes({ services, log }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { invites, settings, audit } = services;

  app.get('/signup', (c) => {
    requireAdmin(c);
    return c.json({ policy: settings.signupPolicy() } satisfies SignupSettings);
  });

  app.put('/signup', async (c) => {
    const admin = requireAdmin(c);
    const body = await readJson(c, signupSettingsSchema);
    const before = settings.signupPolicy();
    if (body.policy !== before) {
      settings.setSignupPolicy(body.policy);
      audit.write({
        action: AuditAction.signupPolicyChanged,
        actorId: admin.id,
        details: { from: before, to: body.policy },
      });
    }
    return c.json({ policy: body.policy } satisfies SignupSettings);
  });

  app.get('/invites', (c) => {
    requireAdmin(c);
    return c.json({ invites: invites.list(MAX_LISTED_INVITES).map(toInvite) });
  });

  app.post('/invites', async (c) => {
    const admin = requireAdmin(c);
    const { email, ...body } = await readJson(c, createInviteRequestSchema);
    const { mailer, config } = services;
    if (email !== undefined && (!mailer || !config.publicOrigin)) {
      throw conflict('this server does not send email (it needs SMTP_URL and PUBLIC_ORIGIN)');
    }
    const { row, code } = invites.create({ createdBy: admin.id, ...body });
    let emailed = false;
    if (email !== undefined && mailer && config.publicOrigin) {
      try {
        await mailer.send(
          inviteMail(email, admin.displayName, config.publicOrigin, code, row.expiresAt),
        );
        emailed = true;
      } catch (err) {
        log.warn({ inviteId: row.id, code: mailErrorCode(err) }, 'invite email failed');
      }
    }
    audit.write({
      action: AuditAction.inviteCreated,
      actorId: admin.id,
      targetId: row.id,
      details: { maxUses: row.maxUses, expiresAt: row.expiresAt, emailed },
    });
    return c.json({ invite: toInvite(row), code, emailed }, 201);
  });

  app.delete('/invites/:inviteId', (c) => {
    const admin = requireAdmin(c);
    const id = inviteIdSchema.safeParse(c.req.param('inviteId'));
    const row = id.success ? invites.revoke(id.data) : undefined;
    if (!row) throw notFound('invite');
    audit.write({ action: AuditAction.inviteRevoked, actorId: admin.id, targetId: row.id });
    return c.body(null, 204);
  });

  return app;
}

function inviteMail(to: string, from: string, origin: string, code: string, until: number): Mail {
  return {
    to,
    subject: `${from} invites you to Canopy`,
    text: [
      'Hi,',
      '',
      `${from} invites you to the Canopy chat at ${origin}.`,
      `Create your account here, before ${new Date(until).toUTCString()}:`,
      '',
      `${origin}/signup?invite=${code}`,
      '',
    ].join('\n'),
  };
}

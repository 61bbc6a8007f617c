// GET /api/config: public settings the client needs before it acts (upload limits, the
// profile picture policy, whether the assistant can answer, who may sign up, whether email
// is sent, whether links get previews). No secrets, no session needed.
import { Hono } from 'hono';
import type { ServerConfigResponse } from '@canopy/shared';
import type { AppEnv } from './context.js';
import type { RouteDeps } from './route-deps.js';

export function configRoutes({ services }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { config } = services;
  const fixed: Omit<ServerConfigResponse, 'signup'> = {
    uploads: {
      maxUploadBytes: config.maxUploadBytes,
      maxImagePixels: config.maxImagePixels,
      quotaBytes: config.userQuotaBytes,
    },
    avatars: { imagePolicy: config.avatarImagePolicy },
    assistant: { available: config.gemini.apiKey !== null },
    email: {
      available: services.mailer !== null,
      passwordReset: services.passwordResets !== null,
      invites: services.mailer !== null && config.publicOrigin !== null,
    },
    linkPreviews: { available: config.linkPreviews !== 'off' },
  };
  app.get('/', (c) =>
    c.json({
      ...fixed,
      signup: { policy: services.settings.signupPolicy() },
    } satisfies ServerConfigResponse),
  );
  return app;
}

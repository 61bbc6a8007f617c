// A user's own sessions ("where you are signed in"): each device that signed in, so a lost
// or shared one can be signed out from another. Ids are the server's session keys (a hash
// of the cookie's secret, never the secret itself).
import { z } from 'zod';

export const sessionIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'invalid session id');

export const sessionSummarySchema = z.object({
  id: sessionIdSchema,
  /** the session of the request that asked */
  current: z.boolean(),
  /** what signed in, e.g. "Firefox on Linux"; null when unknown */
  device: z.string().nullable(),
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

export const sessionListResponseSchema = z.object({ sessions: z.array(sessionSummarySchema) });

// GET /api/config: what the operator configured that the client must know before it acts
// (upload limits, whether the assistant is available). Public: no secrets.
import { z } from 'zod';
import { uploadLimitsSchema } from './blobs.js';

export const serverConfigResponseSchema = z.object({
  uploads: uploadLimitsSchema,
  assistant: z.object({ available: z.boolean() }),
});
export type ServerConfigResponse = z.infer<typeof serverConfigResponseSchema>;

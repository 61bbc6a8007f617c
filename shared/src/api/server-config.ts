// GET /api/config: what the operator configured that the client must know before it acts
// (upload limits, the profile picture policy, whether the assistant and link previews are
// available, who may sign up). Public: no secrets.
import { z } from 'zod';
import { uploadLimitsSchema } from './blobs.js';
import { imagePolicySchema } from './image-policy.js';
import { signupPolicySchema } from './signup-policy.js';

export const serverConfigResponseSchema = z.object({
  uploads: uploadLimitsSchema,
  /**
   * Profile pictures are checked on the device under this policy (null = the classifier's
   * default). Everyone on the server sees them, so `blur` refuses a picture like `block`.
   */
  avatars: z.object({ imagePolicy: imagePolicySchema.nullable() }),
  assistant: z.object({ available: z.boolean() }),
  /** who may create an account (the sign-up page asks for an invite under `invite`) */
  signup: z.object({ policy: signupPolicySchema }),
  /**
   * whether the server sends email (about mentions and direct messages to people away),
   * and with it password reset links (which also need its public origin)
   */
  email: z.object({ available: z.boolean(), passwordReset: z.boolean(), invites: z.boolean() }),
  /** whether messages with a link may ask for its preview (GET /api/link-preview) */
  linkPreviews: z.object({ available: z.boolean() }),
});
export type ServerConfigResponse = z.infer<typeof serverConfigResponseSchema>;

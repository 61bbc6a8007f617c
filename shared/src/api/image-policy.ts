// A group's image policy: for each unsafe classifier label, a score threshold and the action
// taken at or above it. The sender's device applies it before an image enters the document;
// the group stores it (null = the classifier manifest's default policy).
import { z } from 'zod';

export const PolicyAction = { allow: 'allow', blur: 'blur', block: 'block' } as const;
export type PolicyAction = (typeof PolicyAction)[keyof typeof PolicyAction];
export const policyActionSchema = z.enum(['allow', 'blur', 'block']);

export const classRuleSchema = z.strictObject({
  /** Score in [0, 1] at or above which the action applies. */
  threshold: z.number().min(0).max(1),
  action: policyActionSchema,
});
export type ClassRule = z.infer<typeof classRuleSchema>;

/** Per unsafe label: threshold and action. Labels not listed are never acted on. */
export const imagePolicySchema = z
  .record(z.string().min(1).max(64), classRuleSchema)
  .refine((p) => Object.keys(p).length <= 32, 'at most 32 policed labels');
export type ImagePolicy = z.infer<typeof imagePolicySchema>;

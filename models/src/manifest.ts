// Classifier manifest: everything a runtime needs to feed an ONNX image classifier and
// interpret its output (file, input tensor, normalization, labels, default policy).
// Pure and isomorphic: imported by the browser client and by the build.
import { z } from 'zod';
import { imagePolicySchema } from '@canopy/shared';

// The policy contract is the group's (shared/): a manifest's default policy has the same shape.
export {
  classRuleSchema,
  imagePolicySchema as classifierPolicySchema,
  policyActionSchema,
  PolicyAction as policyActions,
} from '@canopy/shared';
export type { ClassRule, ImagePolicy as ClassifierPolicy, PolicyAction } from '@canopy/shared';

export const classifierManifestSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    version: z.number().int().positive(),
    description: z.string(),
    /** Path of the .onnx file relative to the manifest's package (models/). */
    model: z.string().regex(/\.onnx$/),
    input: z.object({
      name: z.string().min(1),
      /** NHWC: [batch, height, width, channels]; NCHW: [batch, channels, height, width]. */
      layout: z.enum(['NHWC', 'NCHW']),
      height: z.number().int().positive(),
      width: z.number().int().positive(),
      channels: z.literal(3),
      colorOrder: z.literal('RGB'),
      /** Resize the image to exactly height x width (no crop), bilinear. */
      resize: z.literal('stretch-bilinear'),
      /** value = pixel (0..255) * scale + offset, per channel. */
      normalization: z.object({
        scale: z.tuple([z.number(), z.number(), z.number()]),
        offset: z.tuple([z.number(), z.number(), z.number()]),
      }),
    }),
    output: z.object({
      name: z.string().min(1),
      /** "probabilities" when the model ends in a softmax. */
      kind: z.literal('probabilities'),
    }),
    labels: z.array(z.string().min(1)).min(2),
    /** Human-readable meaning per label, for settings screens. */
    descriptions: z.record(z.string(), z.string()),
    unsafeLabels: z.array(z.string()),
    defaultPolicy: imagePolicySchema,
  })
  .superRefine((m, ctx) => {
    const labels = new Set(m.labels);
    if (labels.size !== m.labels.length)
      ctx.addIssue({ code: 'custom', message: 'labels must be unique' });
    for (const l of m.unsafeLabels) {
      if (!labels.has(l))
        ctx.addIssue({ code: 'custom', message: `unsafe label ${l} is not a label` });
    }
    for (const l of Object.keys(m.defaultPolicy)) {
      if (!m.unsafeLabels.includes(l)) {
        ctx.addIssue({
          code: 'custom',
          message: `defaultPolicy names ${l}, which is not an unsafe label`,
        });
      }
    }
  });
export type ClassifierManifest = z.infer<typeof classifierManifestSchema>;

/** Parses untrusted manifest JSON; throws a readable error naming the bad field. */
export function parseManifest(json: unknown): ClassifierManifest {
  const result = classifierManifestSchema.safeParse(json);
  if (!result.success) {
    throw new Error(`invalid classifier manifest: ${z.prettifyError(result.error)}`, {
      cause: result.error,
    });
  }
  return result.data;
}

/** Scores keyed by label, from the model's output vector in manifest label order. */
export function scoresByLabel(
  manifest: ClassifierManifest,
  output: ArrayLike<number>,
): Record<string, number> {
  if (output.length !== manifest.labels.length) {
    throw new Error(
      `model output has ${output.length} values, manifest lists ${manifest.labels.length} labels`,
    );
  }
  return Object.fromEntries(manifest.labels.map((label, i) => [label, output[i] as number]));
}

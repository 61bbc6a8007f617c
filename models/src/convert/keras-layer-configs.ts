// zod schemas for the Keras layer configs the converter understands. Anything outside them
// (dilation, channels_first, other activations) fails the parse rather than converting wrongly.
import { z } from 'zod';

const pair = z.tuple([z.number().int(), z.number().int()]);
export const convSchema = z.object({
  kernel_size: pair,
  strides: pair,
  padding: z.enum(['valid', 'same']),
  data_format: z.literal('channels_last'),
  dilation_rate: z.tuple([z.literal(1), z.literal(1)]),
  activation: z.enum(['linear', 'relu']),
  use_bias: z.boolean(),
  filters: z.number().int().optional(),
  depth_multiplier: z.number().int().optional(),
});
export const bnSchema = z.object({
  axis: z.union([z.literal(-1), z.literal(3)]),
  epsilon: z.number(),
  center: z.boolean(),
  scale: z.boolean(),
});
export const reluSchema = z.object({
  max_value: z.number().nullable().optional(),
  negative_slope: z.literal(0).optional(),
  threshold: z.literal(0).optional(),
});
export const padSchema = z.object({
  padding: z.tuple([pair, pair]),
  data_format: z.literal('channels_last'),
});
export const poolSchema = z.object({ pool_size: pair, strides: pair, padding: z.literal('valid') });
export const denseSchema = z.object({
  units: z.number().int(),
  activation: z.enum(['linear', 'relu', 'softmax']),
  use_bias: z.boolean(),
});
export const inputSchema = z.object({
  batch_input_shape: z.tuple([z.null(), z.number(), z.number(), z.number()]),
});

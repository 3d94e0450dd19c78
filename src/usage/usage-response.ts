/** `GET /v1/usage`: its query and its body. */
import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC date, YYYY-MM-DD');
export const USAGE_GROUPS = ['day', 'key', 'model'] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

/** Query string: days inclusive (default: the current month up to today), one key and one model at most. */
export const usageQuerySchema = z.strictObject({
  from: day.optional(),
  to: day.optional(),
  key: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  /** One or more of `day`, `key`, `model`, comma-separated; default `day`. */
  group_by: z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim()))
    .pipe(z.array(z.enum(USAGE_GROUPS)).min(1))
    .optional(),
});

export const usageRowSchema = z.object({
  day: z.string().optional(),
  key: z.string().optional(),
  model: z.string().optional(),
  requests: z.number().int(),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
});

export const usageResponseSchema = z.object({
  object: z.literal('list'),
  from: day,
  to: day,
  group_by: z.array(z.enum(USAGE_GROUPS)),
  data: z.array(usageRowSchema),
});

export type UsageQuery = z.infer<typeof usageQuerySchema>;
export type UsageRow = z.infer<typeof usageRowSchema>;
export type UsageResponse = z.infer<typeof usageResponseSchema>;

/** OpenAI's token usage object, shared by every response schema. */
import { z } from 'zod';

export const usageSchema = z.object({
  prompt_tokens: z.int().nonnegative(),
  completion_tokens: z.int().nonnegative(),
  total_tokens: z.int().nonnegative(),
});
export type Usage = z.infer<typeof usageSchema>;

/** OpenAI's error body, the only error shape the gateway writes (also as a final SSE frame). */
import { z } from 'zod';

export const errorBodySchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string().nullable(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

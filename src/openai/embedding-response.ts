/** What the gateway answers on `POST /v1/embeddings`. */
import { z } from 'zod';

export const embeddingListSchema = z.object({
  object: z.literal('list'),
  data: z.array(
    z.object({
      object: z.literal('embedding'),
      /** Floats, or with `encoding_format: "base64"` their little-endian float32 bytes in base64. */
      embedding: z.union([z.array(z.number()), z.string()]),
      index: z.int(),
    }),
  ),
  model: z.string(),
  usage: z.object({ prompt_tokens: z.int().nonnegative(), total_tokens: z.int().nonnegative() }),
});
export type EmbeddingListResponse = z.infer<typeof embeddingListSchema>;

/** What the gateway answers on `GET /v1/models` and `GET /v1/models/{model}`. */
import { z } from 'zod';

export const modelSchema = z.object({
  id: z.string(),
  object: z.literal('model'),
  /** Unix seconds of the model's `modified_at`; 0 when unknown. */
  created: z.int(),
  owned_by: z.string(),
});
export type ModelResponse = z.infer<typeof modelSchema>;

/** `data` is `[]` when nothing is installed (Ollama's own layer sends `null`). */
export const modelListSchema = z.object({ object: z.literal('list'), data: z.array(modelSchema) });
export type ModelListResponse = z.infer<typeof modelListSchema>;

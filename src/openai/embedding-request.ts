/** The body of `POST /v1/embeddings`. */
import { z } from 'zod';
import { keepAliveSchema } from './common-request-fields.ts';
import { ollamaRequestOptionsSchema } from './ollama-options-extension.ts';

const tokenArraySchema = z.array(z.int());

export const embeddingRequestSchema = z.object({
  /** Optional here: the model may also come from the `X-Model` header, `?model=` or the path. */
  model: z.string().optional(),
  /** Token arrays are valid OpenAI input; they pass the schema and the translator refuses them by name. */
  input: z.union([z.string(), z.array(z.string()).max(2048), tokenArraySchema, z.array(tokenArraySchema)]),
  dimensions: z.int().min(1).nullish(),
  /** `float` or `base64`, compared case-insensitively like Ollama. */
  encoding_format: z
    .string()
    // spelled out rather than with the `i` flag, which JSON Schema patterns cannot carry
    .regex(/^([Ff][Ll][Oo][Aa][Tt]|[Bb][Aa][Ss][Ee]64)$/, {
      error: (issue) => `Invalid value for 'encoding_format' = ${String(issue.input)}. Supported values: ['float', 'base64'].`,
    })
    .nullish(),
  user: z.string().nullish(),
  /** Our extension: Ollama's `keep_alive`. */
  keep_alive: keepAliveSchema.nullish(),
  /** Our extension: Ollama's own options (`num_ctx`, `num_gpu`, …), over the configured per-model options. */
  options: ollamaRequestOptionsSchema.nullish(),
});
export type EmbeddingRequest = z.infer<typeof embeddingRequestSchema>;

/** The encoding the client asked for, `float` when it asked for none. */
export const readEncodingFormat = (request: EmbeddingRequest): 'float' | 'base64' =>
  request.encoding_format?.toLowerCase() === 'base64' ? 'base64' : 'float';

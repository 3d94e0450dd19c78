/** An `/api/embed` answer → OpenAI's embedding list (docs/ollama-api-notes.md, Embed). */
import type { OllamaEmbedResponse } from '../ollama/wire.ts';
import type { EmbeddingListResponse } from '../openai/embedding-response.ts';

export interface FromOllamaEmbedOptions {
  /** The model name as the client sent it. */
  model: string;
  encodingFormat: 'float' | 'base64';
}

/** `usage.prompt_tokens` is Ollama's count over all inputs; `data` is `[]` (never null) when there is none. */
export function fromOllamaEmbedResponse(native: OllamaEmbedResponse, options: FromOllamaEmbedOptions): EmbeddingListResponse {
  const promptTokens = native.prompt_eval_count ?? 0;
  return {
    object: 'list',
    data: (native.embeddings ?? []).map((vector, index) => ({
      object: 'embedding',
      embedding: options.encodingFormat === 'base64' ? encodeFloat32Base64(vector) : vector,
      index,
    })),
    model: options.model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

/** Little-endian float32 bytes in standard base64, what the openai SDK decodes: `[0.1,-0.2,0.3]` → `zczMPc3MTL6amZk+`. */
export function encodeFloat32Base64(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return bytes.toString('base64');
}

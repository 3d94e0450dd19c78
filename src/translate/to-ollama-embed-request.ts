/** `POST /v1/embeddings` body → `/api/embed` body (docs/ollama-api-notes.md, Embed). */
import { invalidRequest } from '../errors/gateway-error.ts';
import type { OllamaEmbedRequest } from '../ollama/wire.ts';
import type { EmbeddingRequest } from '../openai/embedding-request.ts';
import { pickKeepAlive } from './build-ollama-options.ts';
import type { ToOllamaRequestOptions } from './to-ollama-chat-request.ts';

/**
 * Sends `truncate: false`: OpenAI refuses input longer than the context, and Ollama would otherwise cut
 * it silently (it answers 400 `the input length exceeds the context length` instead). `""` is sent as
 * `[""]` like Ollama's layer; token arrays and `[]` are a 400 naming `input`.
 */
export function toOllamaEmbedRequest(request: EmbeddingRequest, options: ToOllamaRequestOptions): OllamaEmbedRequest {
  const native: OllamaEmbedRequest = { model: options.model, input: readInput(request.input), truncate: false };
  if (request.dimensions !== null && request.dimensions !== undefined) native.dimensions = request.dimensions;
  const nativeOptions = { ...options.defaults?.options, ...request.options };
  if (Object.keys(nativeOptions).length > 0) native.options = nativeOptions;
  const keepAlive = pickKeepAlive(request.keep_alive, options.defaults);
  if (keepAlive !== undefined) native.keep_alive = keepAlive;
  return native;
}

function readInput(input: EmbeddingRequest['input']): string | string[] {
  if (typeof input === 'string') return input === '' ? [''] : input;
  if (input.length === 0) throw invalidRequest('input must not be an empty array', 'input');
  if (!input.every((item) => typeof item === 'string')) {
    throw invalidRequest('token arrays are not supported: send the input as text', 'input');
  }
  return input;
}

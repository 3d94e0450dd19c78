/**
 * `POST /v1/messages/count_tokens` → the `/api/chat` request whose `prompt_eval_count` is the count:
 * the same messages, system, tools and thinking as a Messages request would send (so the model's own
 * template and tokenizer count them), generating a single token. `num_predict: 1`, not 0: Ollama reads
 * 0 as "no limit".
 */
import type { CountTokensRequest } from '../../anthropic/messages-request.ts';
import type { OllamaChatRequest } from '../../ollama/wire.ts';
import { toOllamaChatRequest, type ToOllamaMessagesRequestOptions } from './to-ollama-chat-request.ts';

export function toCountTokensChatRequest(request: CountTokensRequest, options: ToOllamaMessagesRequestOptions): OllamaChatRequest {
  return toOllamaChatRequest({ ...request, max_tokens: 1, stream: false }, options);
}

/** `POST /v1/completions` body → `/api/generate` bodies, one per choice (docs/ollama-api-notes.md, Generate). */
import { invalidRequest } from '../errors/gateway-error.ts';
import type { OllamaGenerateRequest } from '../ollama/wire.ts';
import type { CompletionRequest } from '../openai/completion-request.ts';
import { readOllamaOptionsExtension } from '../openai/ollama-options-extension.ts';
import { buildOllamaOptions, pickKeepAlive } from './build-ollama-options.ts';
import type { ToOllamaRequestOptions } from './to-ollama-chat-request.ts';

/**
 * One native request per choice, in OpenAI's choice order: each prompt `n` times (prompt 0's choices
 * first). Only the sampling fields the client set are sent (Ollama's layer forces temperature, top_p
 * and both penalties). Never `raw`: Ollama applies the model's template, as its own layer does.
 */
export function toOllamaGenerateRequests(request: CompletionRequest, options: ToOllamaRequestOptions): OllamaGenerateRequest[] {
  refuseUnsupportedCompletionFields(request);
  const template: OllamaGenerateRequest = { model: options.model, prompt: '', stream: request.stream === true };
  if (request.suffix !== null && request.suffix !== undefined) template.suffix = request.suffix;
  const nativeOptions = buildOllamaOptions(
    {
      num_predict: request.max_tokens,
      temperature: request.temperature,
      top_p: request.top_p,
      seed: request.seed,
      frequency_penalty: request.frequency_penalty,
      presence_penalty: request.presence_penalty,
      stop: request.stop,
    },
    options.defaults,
    readOllamaOptionsExtension(request),
  );
  if (nativeOptions !== undefined) template.options = nativeOptions;
  const keepAlive = pickKeepAlive(request.keep_alive, options.defaults);
  if (keepAlive !== undefined) template.keep_alive = keepAlive;
  // Completions' `logprobs: n` asks for the n most likely tokens at each position as well.
  if ((request.logprobs ?? 0) > 0) Object.assign(template, { logprobs: true, top_logprobs: request.logprobs });
  const copies = request.n ?? 1;
  return readPrompts(request.prompt).flatMap((prompt) => Array.from({ length: copies }, () => ({ ...template, prompt })));
}

function readPrompts(prompt: CompletionRequest['prompt']): string[] {
  if (typeof prompt === 'string') return [prompt];
  if (prompt.length === 0) throw invalidRequest('prompt must not be an empty array', 'prompt');
  if (!prompt.every((item) => typeof item === 'string')) {
    throw invalidRequest('token arrays are not supported: send the prompt as text', 'prompt');
  }
  return prompt;
}

function refuseUnsupportedCompletionFields(request: CompletionRequest): void {
  if ((request.best_of ?? 1) > 1) throw invalidRequest('best_of is not supported: Ollama returns no scores to pick the best with', 'best_of');
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0) {
    throw invalidRequest('logit_bias is not supported: Ollama cannot bias tokens', 'logit_bias');
  }
}

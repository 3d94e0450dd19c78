/** The chat fields whose silent loss would mislead the client (see `refusedFields` in ignored-fields.ts). */
import { invalidRequest } from '../errors/gateway-error.ts';
import type { ChatCompletionRequest } from '../openai/chat-completion-request.ts';

/** Throws a 400 naming the first field set to something Ollama cannot do. */
export function refuseUnsupportedChatFields(request: ChatCompletionRequest): void {
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0) {
    throw invalidRequest('logit_bias is not supported: Ollama cannot bias tokens', 'logit_bias');
  }
  if (request.audio) throw invalidRequest('audio output is not supported: Ollama produces text only', 'audio');
  if (request.modalities?.includes('audio')) {
    throw invalidRequest("the 'audio' modality is not supported: Ollama produces text only", 'modalities');
  }
  if (request.web_search_options) {
    throw invalidRequest('web_search_options is not supported: nothing searches the web here', 'web_search_options');
  }
  if (request.functions) throw invalidRequest('functions is deprecated and not supported: send tools instead', 'functions');
  if (request.function_call !== undefined) {
    throw invalidRequest('function_call is deprecated and not supported: send tool_choice instead', 'function_call');
  }
}

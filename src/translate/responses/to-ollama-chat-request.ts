/** `POST /v1/responses` body (+ the stored conversation it continues) → `/api/chat` body (DIALECTS.md §1.1). */
import { invalidRequest } from '../../errors/gateway-error.ts';
import type { OllamaChatRequest, OllamaFormat, OllamaTool } from '../../ollama/wire.ts';
import { readOllamaOptionsExtension } from '../../openai/ollama-options-extension.ts';
import type { InputItem, ResponsesRequest, ResponsesTool, ResponsesToolChoice, TextFormat } from '../../openai/responses-request.ts';
import { buildOllamaOptions, pickKeepAlive, type TranslationDefaults } from '../build-ollama-options.ts';
import { mapReasoningEffort } from '../map-reasoning-effort.ts';
import { toOllamaMessages } from './to-ollama-messages.ts';

export interface ToOllamaResponsesRequestOptions {
  /** The canonical Ollama model name (aliases already resolved). */
  model: string;
  defaults?: TranslationDefaults | undefined;
  /** The input and output items of the `previous_response_id` chain, oldest first. */
  history?: readonly InputItem[] | undefined;
}

/** The request's own `input` as items: a string is one user message. */
export function readInputItems(input: ResponsesRequest['input']): InputItem[] {
  if (input === undefined || input === '') return [];
  return typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : input;
}

export function toOllamaChatRequest(request: ResponsesRequest, options: ToOllamaResponsesRequestOptions): OllamaChatRequest {
  refuseUnsupportedFields(request);
  const items = [...(options.history ?? []), ...readInputItems(request.input)];
  const native: OllamaChatRequest = { model: options.model, messages: toOllamaMessages(request.instructions, items), stream: request.stream === true };
  const nativeOptions = buildOllamaOptions(
    { num_predict: request.max_output_tokens, temperature: request.temperature, top_p: request.top_p },
    options.defaults,
    readOllamaOptionsExtension(request),
  );
  if (nativeOptions !== undefined) native.options = nativeOptions;
  const format = mapTextFormat(request.text?.format);
  if (format !== undefined) native.format = format;
  const tools = selectTools(request.tools ?? [], request.tool_choice);
  if (tools !== undefined) native.tools = tools;
  const think = mapReasoningEffort(request.reasoning?.effort);
  if (think !== undefined) native.think = think;
  const keepAlive = pickKeepAlive(request.keep_alive, options.defaults);
  if (keepAlive !== undefined) native.keep_alive = keepAlive;
  return native;
}

/** `json_object` constrains to JSON as the real API does (Ollama's own layer ignores it). */
function mapTextFormat(format: TextFormat | undefined): OllamaFormat | undefined {
  if (format === undefined || format.type === 'text') return undefined;
  return format.type === 'json_object' ? 'json' : format.schema;
}

function refuseUnsupportedFields(request: ResponsesRequest): void {
  if (request.background === true) throw invalidRequest('background responses are not supported: send the request and wait, or stream it', 'background');
  if (request.conversation !== undefined && request.conversation !== null) {
    throw invalidRequest('conversation is not supported: continue a conversation with previous_response_id', 'conversation');
  }
  if (request.prompt !== undefined && request.prompt !== null) throw invalidRequest('stored prompts are not supported: send instructions and input', 'prompt');
  if (request.context_management !== undefined && request.context_management !== null) {
    throw invalidRequest('context_management is not supported: the gateway does not compact the context', 'context_management');
  }
  if ((request.top_logprobs ?? 0) > 0) throw invalidRequest('top_logprobs is not supported on /v1/responses', 'top_logprobs');
  request.tools?.forEach((tool, index) => {
    if (tool.type !== 'function') {
      throw invalidRequest(`tools[${index}]: built-in tool type '${tool.type}' is not supported: nothing runs it here; only function tools are`, `tools[${index}].type`);
    }
    if (tool.name === undefined) throw invalidRequest('a function tool needs a name', `tools[${index}].name`);
  });
}

/** `none` sends no tools; a named function or `allowed_tools` only those; `auto`/`required` all (`required` is best effort). */
function selectTools(tools: readonly ResponsesTool[], toolChoice: ResponsesToolChoice | null | undefined): OllamaTool[] | undefined {
  if (toolChoice === 'none') return undefined;
  if (tools.length === 0) {
    if (toolChoice === 'required' || (typeof toolChoice === 'object' && toolChoice !== null)) throw invalidRequest('tool_choice needs tools: none were given', 'tool_choice');
    return undefined;
  }
  if (typeof toolChoice !== 'object' || toolChoice === null) return tools.map(toNativeTool);
  const wanted = toolChoice.type === 'function' ? [{ name: toolChoice.name, param: 'tool_choice.name' }] : toolChoice.tools.map((tool, index) => ({ name: tool.name, param: `tool_choice.tools[${index}].name` }));
  return wanted.map(({ name, param }) => {
    const tool = tools.find((candidate) => candidate.name === name);
    if (tool === undefined) throw invalidRequest(`tool_choice names function '${name}', which is not in tools`, param);
    return toNativeTool(tool);
  });
}

function toNativeTool(tool: ResponsesTool): OllamaTool {
  return {
    type: 'function',
    function: {
      name: tool.name ?? '',
      ...(tool.description === null || tool.description === undefined ? {} : { description: tool.description }),
      ...(tool.parameters === null || tool.parameters === undefined ? {} : { parameters: tool.parameters }),
    },
  };
}

/** Anthropic `POST /v1/messages` body → `/api/chat` body (DIALECTS.md §2.1, following the real API where marked). */
import { invalidRequest } from '../../errors/gateway-error.ts';
import type { MessagesRequest, Tool, ToolChoice } from '../../anthropic/messages-request.ts';
import type { OllamaChatRequest, OllamaTool } from '../../ollama/wire.ts';
import { buildOllamaOptions, type TranslationDefaults } from '../build-ollama-options.ts';
import { mapThinking } from './map-thinking.ts';
import { toOllamaMessages } from './to-ollama-messages.ts';

export interface ToOllamaMessagesRequestOptions {
  /** The canonical Ollama model name (aliases already resolved). */
  model: string;
  defaults?: TranslationDefaults | undefined;
  /**
   * `false` when the model is known to lack the thinking capability: `think` is then left out, since
   * Claude Code asks every model to think and Ollama would answer 400 over HTTP.
   */
  canThink?: boolean | undefined;
}

export function toOllamaChatRequest(request: MessagesRequest, options: ToOllamaMessagesRequestOptions): OllamaChatRequest {
  refuseUnsupportedFields(request);
  const native: OllamaChatRequest = {
    model: options.model,
    messages: toOllamaMessages(request.system, request.messages),
    stream: request.stream === true,
  };
  const nativeOptions = buildOllamaOptions(
    { num_predict: request.max_tokens, temperature: request.temperature, top_p: request.top_p, top_k: request.top_k, stop: request.stop_sequences },
    options.defaults,
  );
  if (nativeOptions !== undefined) native.options = nativeOptions;
  const tools = selectTools(request.tools, request.tool_choice);
  if (tools !== undefined) native.tools = tools;
  const think = mapThinking(request);
  if (think !== undefined && !(options.canThink === false && think !== false)) native.think = think;
  if (request.output_config?.format) native.format = request.output_config.format.schema;
  if (options.defaults?.keepAlive !== undefined) native.keep_alive = options.defaults.keepAlive;
  return native;
}

/** Server tools run on Anthropic's side; nothing runs them here, so the answer would silently lack them. */
function refuseUnsupportedFields(request: MessagesRequest): void {
  request.tools?.forEach((tool, index) => {
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      throw invalidRequest(`tools[${index}]: server tool type '${tool.type}' is not supported: only client tools (type 'custom') are`, `tools[${index}].type`);
    }
    if (tool.input_schema === undefined) throw invalidRequest(`Missing required parameter: 'tools[${index}].input_schema'.`, `tools[${index}].input_schema`);
  });
  if (request.mcp_servers !== undefined && request.mcp_servers.length > 0) {
    throw invalidRequest('mcp_servers is not supported: the gateway connects to no MCP servers', 'mcp_servers');
  }
  if (request.container !== undefined && request.container !== null) {
    throw invalidRequest('container is not supported: there is no code execution here', 'container');
  }
}

/** `none` sends no tools, `tool` only the named one; `auto` and `any` send all (`any` is best effort). */
function selectTools(tools: readonly Tool[] | undefined, toolChoice: ToolChoice | undefined): OllamaTool[] | undefined {
  if (tools === undefined || tools.length === 0 || toolChoice?.type === 'none') return undefined;
  if (toolChoice?.type !== 'tool') return tools.map(toNativeTool);
  const named = tools.find((tool) => tool.name === toolChoice.name);
  if (named === undefined) throw invalidRequest(`tool_choice names tool '${toolChoice.name}', which is not in tools`, 'tool_choice.name');
  return [toNativeTool(named)];
}

function toNativeTool(tool: Tool): OllamaTool {
  return {
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.input_schema ?? {},
    },
  };
}

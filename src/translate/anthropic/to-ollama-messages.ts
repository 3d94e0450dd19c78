/** Anthropic `system` + `messages` → Ollama's native messages (DIALECTS.md §2.2). */
import { invalidRequest } from '../../errors/gateway-error.ts';
import type { ContentBlock, ImageSource, MessageParam, MessagesRequest } from '../../anthropic/messages-request.ts';
import type { OllamaMessage, OllamaToolCall } from '../../ollama/wire.ts';
import { isStandardBase64 } from '../read-image-data-url.ts';

interface TurnParts {
  text: string;
  images: string[];
  toolCalls: OllamaToolCall[];
  thinking: string | undefined;
  toolResults: OllamaMessage[];
}

/**
 * One turn becomes at most one native message of its role (texts joined without a separator, images,
 * tool calls, thinking) plus one `tool` message per `tool_result`; in a user turn those come first,
 * so each result directly follows the assistant message that called the tool.
 */
export function toOllamaMessages(system: MessagesRequest['system'], messages: readonly MessageParam[]): OllamaMessage[] {
  const native: OllamaMessage[] = [];
  const systemText = typeof system === 'string' ? system : (system ?? []).map((block) => block.text).join('');
  if (systemText !== '') native.push({ role: 'system', content: systemText });
  const toolNames = new Map<string, string>();
  messages.forEach((message, index) => {
    const parts = readTurn(message, `messages[${index}].content`, toolNames);
    const main = buildMainMessage(message.role, parts);
    if (message.role === 'user') native.push(...parts.toolResults, ...(main === undefined ? [] : [main]));
    else native.push(...(main === undefined ? [] : [main]), ...parts.toolResults);
  });
  return native;
}

function buildMainMessage(role: MessageParam['role'], parts: TurnParts): OllamaMessage | undefined {
  const hasOwnContent = parts.text !== '' || parts.images.length > 0 || parts.toolCalls.length > 0 || parts.thinking !== undefined;
  if (!hasOwnContent && parts.toolResults.length > 0) return undefined;
  const message: OllamaMessage = { role, content: parts.text };
  if (parts.images.length > 0) message.images = parts.images;
  if (parts.toolCalls.length > 0) message.tool_calls = parts.toolCalls;
  if (parts.thinking !== undefined) message.thinking = parts.thinking;
  return message;
}

function readTurn(message: MessageParam, param: string, toolNames: Map<string, string>): TurnParts {
  const parts: TurnParts = { text: '', images: [], toolCalls: [], thinking: undefined, toolResults: [] };
  if (typeof message.content === 'string') return { ...parts, text: message.content };
  message.content.forEach((block, index) => readBlock(parts, block, `${param}[${index}]`, toolNames));
  return parts;
}

function readBlock(parts: TurnParts, block: ContentBlock, param: string, toolNames: Map<string, string>): void {
  switch (block.type) {
    case 'text':
      parts.text += block.text;
      return;
    case 'image':
      parts.images.push(readImageSource(block.source, `${param}.source`));
      return;
    case 'tool_use':
      toolNames.set(block.id, block.name);
      parts.toolCalls.push({ id: block.id, function: { index: parts.toolCalls.length, name: block.name, arguments: block.input } });
      return;
    case 'tool_result':
      parts.toolResults.push(readToolResult(block, param, toolNames));
      return;
    case 'thinking':
      // the last thinking block of a turn wins, as in Ollama's layer
      parts.thinking = block.thinking;
      return;
    case 'redacted_thinking':
      return;
    case 'document':
    case 'search_result':
      throw invalidRequest(`${block.type} blocks are not supported: Ollama reads no documents; send the text instead`, `${param}.type`);
  }
}

function readToolResult(block: Extract<ContentBlock, { type: 'tool_result' }>, param: string, toolNames: Map<string, string>): OllamaMessage {
  const message: OllamaMessage = { role: 'tool', content: '', tool_call_id: block.tool_use_id };
  const toolName = toolNames.get(block.tool_use_id);
  if (toolName !== undefined) message.tool_name = toolName;
  if (typeof block.content === 'string') return { ...message, content: block.content };
  const images: string[] = [];
  (block.content ?? []).forEach((part, index) => {
    if (part.type === 'text') message.content += part.text;
    else images.push(readImageSource(part.source, `${param}.content[${index}].source`));
  });
  return images.length > 0 ? { ...message, images } : message;
}

/** Base64 sources only: URL sources were fetched by the route before translation (or fetching is off). */
function readImageSource(source: ImageSource, param: string): string {
  if (source.type === 'url') throw invalidRequest('image URLs are not fetched by this gateway (imageFetch.enabled is false): send base64 data', param);
  if (source.type === 'file') throw invalidRequest('file image sources are not supported: there is no Files API here; send base64 data', param);
  if (!isStandardBase64(source.data)) throw invalidRequest('invalid base64 image data', `${param}.data`);
  return source.data.replace(/[\r\n]/g, '');
}

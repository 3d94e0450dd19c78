/** OpenAI chat messages → Ollama's native messages (docs/ollama-api-notes.md, Messages). */
import { invalidRequest } from '../errors/gateway-error.ts';
import type { OllamaMessage, OllamaToolCall } from '../ollama/wire.ts';
import type { ChatMessage, MessageToolCall } from '../openai/chat-message.ts';
import { parseToolArguments } from './parse-tool-arguments.ts';
import { isStandardBase64, readImageDataUrl } from './read-image-data-url.ts';

type Part = Exclude<ChatMessage['content'], string | null | undefined>[number];
type NativeRole = 'system' | 'user' | 'assistant' | 'tool';
type Extras = Pick<OllamaMessage, 'thinking' | 'tool_calls' | 'tool_name' | 'tool_call_id'>;

/**
 * Each content part becomes its own native message with the same role, like Ollama's layer does; the
 * message's tool calls, tool name and thinking ride on the last of them.
 */
export function toOllamaMessages(messages: readonly ChatMessage[]): OllamaMessage[] {
  const native: OllamaMessage[] = [];
  messages.forEach((message, messageIndex) => {
    const param = `messages[${messageIndex}]`;
    const role = toNativeRole(message.role);
    const generated = convertContent(role, message.content, `${param}.content`);
    const extras = readExtras(message, messages.slice(0, messageIndex), param);
    const last = generated.at(-1);
    if (last !== undefined) Object.assign(last, extras);
    native.push(...generated);
  });
  return native;
}

function toNativeRole(role: ChatMessage['role']): NativeRole {
  if (role === 'developer') return 'system';
  if (role === 'function') return 'tool';
  return role;
}

function convertContent(role: NativeRole, content: string | readonly Part[] | null | undefined, param: string): OllamaMessage[] {
  if (content === null || content === undefined) return [{ role, content: '' }];
  if (typeof content === 'string') return [{ role, content }];
  if (content.length === 0) return [{ role, content: '' }];
  return content.map((part, partIndex) => convertPart(role, part, `${param}[${partIndex}]`));
}

function convertPart(role: NativeRole, part: Part, param: string): OllamaMessage {
  switch (part.type) {
    case 'text':
      return { role, content: part.text };
    case 'refusal':
      return { role, content: part.refusal };
    case 'image_url': {
      const url = typeof part.image_url === 'string' ? part.image_url : part.image_url.url;
      return { role, content: '', images: [readImageDataUrl(url, `${param}.image_url`)] };
    }
    case 'input_audio':
      if (!isStandardBase64(part.input_audio.data)) {
        throw invalidRequest('invalid input_audio base64 data', `${param}.input_audio.data`);
      }
      return { role, content: '', images: [part.input_audio.data] };
    case 'file':
      throw invalidRequest('file content parts are not supported: Ollama reads no files; send the text instead', param);
  }
}

function readExtras(message: ChatMessage, earlier: readonly ChatMessage[], param: string): Extras {
  switch (message.role) {
    case 'assistant': {
      const extras: Extras = {};
      const thinking = message.reasoning ?? message.reasoning_content;
      if (thinking) extras.thinking = thinking;
      if (message.tool_calls && message.tool_calls.length > 0) {
        extras.tool_calls = message.tool_calls.map((call, index) => toNativeToolCall(call, index, `${param}.tool_calls[${index}]`));
      }
      return extras;
    }
    case 'tool': {
      const toolName = message.name ?? (message.tool_call_id === undefined ? undefined : findToolName(earlier, message.tool_call_id));
      return { ...(message.tool_call_id === undefined ? {} : { tool_call_id: message.tool_call_id }), ...(toolName === undefined ? {} : { tool_name: toolName }) };
    }
    case 'function':
      return { tool_name: message.name };
    default:
      return {};
  }
}

function toNativeToolCall(call: MessageToolCall, index: number, param: string): OllamaToolCall {
  return { id: call.id, function: { index, name: call.function.name, arguments: parseToolArguments(call.function.arguments, `${param}.function.arguments`) } };
}

/** The last earlier assistant tool call with this id names the tool (Ollama's rule). */
function findToolName(earlier: readonly ChatMessage[], toolCallId: string): string | undefined {
  let name: string | undefined;
  for (const message of earlier) {
    if (message.role !== 'assistant') continue;
    for (const call of message.tool_calls ?? []) if (call.id === toolCallId) name = call.function.name;
  }
  return name;
}

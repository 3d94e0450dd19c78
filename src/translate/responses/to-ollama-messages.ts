/** Responses `instructions` + input items → Ollama's native messages (DIALECTS.md §1.2, `developer` as `system`). */
import { invalidRequest } from '../../errors/gateway-error.ts';
import type { OllamaMessage } from '../../ollama/wire.ts';
import type { InputContentPart, InputItem } from '../../openai/responses-request.ts';
import { readImageDataUrl } from '../read-image-data-url.ts';
import { parseToolArguments } from '../parse-tool-arguments.ts';

type Part = InputContentPart;

/**
 * A message's text parts are joined without a separator into one native message (images ride along);
 * `function_call` items join the assistant message before them, `function_call_output` items become
 * `tool` messages named after their call; a `reasoning` item's text becomes the `thinking` of the next
 * assistant message. An assistant message between a call and its output is merged into the call's
 * message, so the output directly follows its call.
 */
export function toOllamaMessages(instructions: string | null | undefined, items: readonly InputItem[]): OllamaMessage[] {
  const native: OllamaMessage[] = [];
  if (instructions) native.push({ role: 'system', content: instructions });
  const toolNames = new Map<string, string>();
  let pendingThinking: string | undefined;
  const takeThinking = (message: OllamaMessage): void => {
    if (pendingThinking !== undefined) message.thinking = pendingThinking;
    pendingThinking = undefined;
  };
  items.forEach((item, index) => {
    const param = `input[${index}]`;
    const last = native.at(-1);
    switch (item.type) {
      case 'message': {
        const message = convertMessage(item.role, item.content, `${param}.content`);
        const next = items[index + 1];
        const betweenCallAndOutput = item.role === 'assistant' && last?.tool_calls !== undefined && next?.type === 'function_call_output';
        if (betweenCallAndOutput && last !== undefined) {
          last.content = [last.content, message.content].filter((text) => text !== '').join('\n');
          return;
        }
        if (message.role === 'assistant') takeThinking(message);
        native.push(message);
        return;
      }
      case 'function_call': {
        toolNames.set(item.call_id, item.name);
        const call = { id: item.call_id, function: { name: item.name, arguments: parseToolArguments(item.arguments, `${param}.arguments`) } };
        if (last?.role === 'assistant' && pendingThinking === undefined) {
          last.tool_calls = [...(last.tool_calls ?? []), { ...call, function: { ...call.function, index: last.tool_calls?.length ?? 0 } }];
          return;
        }
        const message: OllamaMessage = { role: 'assistant', content: '', tool_calls: [{ ...call, function: { ...call.function, index: 0 } }] };
        takeThinking(message);
        native.push(message);
        return;
      }
      case 'function_call_output':
        native.push(convertToolOutput(item, param, toolNames.get(item.call_id)));
        return;
      case 'reasoning':
        pendingThinking = item.encrypted_content ?? (item.content ?? item.summary).map((part) => part.text).join('');
        return;
      case 'item_reference':
        throw invalidRequest('item_reference items are not supported: send the item itself, or use previous_response_id', `${param}.type`);
    }
  });
  if (pendingThinking !== undefined) native.push({ role: 'assistant', content: '', thinking: pendingThinking });
  return native;
}

function convertMessage(role: 'user' | 'assistant' | 'system' | 'developer', content: string | readonly Part[], param: string): OllamaMessage {
  const message: OllamaMessage = { role: role === 'developer' ? 'system' : role, content: '' };
  if (typeof content === 'string') return { ...message, content };
  const images: string[] = [];
  content.forEach((part, index) => {
    const image = readPart(message, part, `${param}[${index}]`);
    if (image !== undefined) images.push(image);
  });
  return images.length > 0 ? { ...message, images } : message;
}

/** Appends a text part to `message`; returns an image part's base64. */
function readPart(message: OllamaMessage, part: Part, param: string): string | undefined {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      message.content += part.text;
      return undefined;
    case 'refusal':
      message.content += part.refusal;
      return undefined;
    case 'input_image':
      if (part.image_url === null || part.image_url === undefined) {
        throw invalidRequest('input_image by file_id is not supported: there is no Files API here; send image_url', `${param}.file_id`);
      }
      return readImageDataUrl(part.image_url, `${param}.image_url`);
    case 'input_file':
      throw invalidRequest('input_file parts are not supported: Ollama reads no files; send the text instead', `${param}.type`);
  }
}

function convertToolOutput(item: Extract<InputItem, { type: 'function_call_output' }>, param: string, toolName: string | undefined): OllamaMessage {
  const message: OllamaMessage = { role: 'tool', content: '', tool_call_id: item.call_id };
  if (toolName !== undefined) message.tool_name = toolName;
  if (typeof item.output === 'string') return { ...message, content: item.output };
  const images: string[] = [];
  item.output.forEach((part, index) => {
    const image = readPart(message, part, `${param}.output[${index}]`);
    if (image !== undefined) images.push(image);
  });
  return images.length > 0 ? { ...message, images } : message;
}

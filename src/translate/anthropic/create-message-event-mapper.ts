/**
 * Streamed `/api/chat` lines → Anthropic's stream events (DIALECTS.md §2.6): `message_start`, then per
 * block `content_block_start` / `content_block_delta` (`thinking_delta`, `text_delta`,
 * `input_json_delta`) / `content_block_stop`, then `message_delta` with `stop_reason` and usage and
 * `message_stop`. Each switch between thinking and text opens a new block; a block is always closed
 * before the next one starts, so indexes never clash.
 */
import type { MessageStreamEvent } from '../../anthropic/messages-response.ts';
import { upstreamError } from '../../errors/gateway-error.ts';
import type { OllamaChatChunk } from '../../ollama/wire.ts';
import type { FromOllamaMessageOptions } from './from-ollama-chat-response.ts';
import { toMessageUsage, toToolUseBlock } from './from-ollama-chat-response.ts';
import { mapStopReason } from './map-stop-reason.ts';

export interface MessageEventMapper {
  /** The events for one native line; the first line also yields `message_start`. */
  map(line: OllamaChatChunk): MessageStreamEvent[];
  /** After the last line: closes the open block, `message_delta`, `message_stop`. Throws when the done line never came. */
  finish(): MessageStreamEvent[];
  /** Token counts from the done line (zeros before it). */
  usage(): { input_tokens: number; output_tokens: number };
}

type OpenBlock = { kind: 'text' | 'thinking'; index: number } | undefined;

export function createMessageEventMapper(options: FromOllamaMessageOptions): MessageEventMapper {
  let started = false;
  let nextIndex = 0;
  let open: OpenBlock;
  let calledTools = false;
  let doneLine: OllamaChatChunk | undefined;

  const close = (): MessageStreamEvent[] => {
    if (open === undefined) return [];
    const stop: MessageStreamEvent = { type: 'content_block_stop', index: open.index };
    open = undefined;
    return [stop];
  };

  const ensureOpen = (kind: 'text' | 'thinking'): MessageStreamEvent[] => {
    if (open?.kind === kind) return [];
    const events = close();
    open = { kind, index: nextIndex++ };
    const block = kind === 'text' ? { type: 'text' as const, text: '' } : { type: 'thinking' as const, thinking: '', signature: '' };
    events.push({ type: 'content_block_start', index: open.index, content_block: block });
    return events;
  };

  const map = (line: OllamaChatChunk): MessageStreamEvent[] => {
    const events: MessageStreamEvent[] = [];
    if (!started) {
      started = true;
      events.push({
        type: 'message_start',
        message: { id: options.id, type: 'message', role: 'assistant', model: options.model, content: [], stop_reason: null, stop_sequence: null, usage: toMessageUsage({ prompt_eval_count: line.prompt_eval_count }) },
      });
    }
    if (line.done) doneLine = line;
    const thinking = line.message?.thinking ?? '';
    const text = line.message?.content ?? '';
    if (thinking !== '') {
      events.push(...ensureOpen('thinking'));
      events.push({ type: 'content_block_delta', index: open!.index, delta: { type: 'thinking_delta', thinking } });
    }
    if (text !== '') {
      events.push(...ensureOpen('text'));
      events.push({ type: 'content_block_delta', index: open!.index, delta: { type: 'text_delta', text } });
    }
    for (const call of line.message?.tool_calls ?? []) {
      calledTools = true;
      events.push(...close());
      const index = nextIndex++;
      const block = toToolUseBlock(call, options.generateId);
      events.push(
        { type: 'content_block_start', index, content_block: { ...block, input: {} } },
        { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } },
        { type: 'content_block_stop', index },
      );
    }
    return events;
  };

  const usage = (): { input_tokens: number; output_tokens: number } => {
    const { input_tokens, output_tokens } = toMessageUsage(doneLine ?? {});
    return { input_tokens, output_tokens };
  };

  const finish = (): MessageStreamEvent[] => {
    // A stream cut before Ollama's done line did not complete: no stop_reason is invented for it.
    if (doneLine === undefined) throw upstreamError('Ollama ended the stream before the answer was complete.', undefined, 'upstream_incomplete');
    return [
      ...close(),
      { type: 'message_delta', delta: { stop_reason: mapStopReason(doneLine.done_reason, calledTools), stop_sequence: null }, usage: usage() },
      { type: 'message_stop' },
    ];
  };

  return { map, finish, usage };
}

/**
 * Streamed `/api/chat` lines → `chat.completion.chunk` objects, by docs/ollama-api-notes.md, OpenAI streaming shape: role only
 * in the first delta, thinking and content of one line split into two chunks, no empty chunk for the
 * metrics-only done line, then a separate `{delta: {}, finish_reason}` chunk and the optional usage chunk.
 */
import type { OllamaChatChunk } from '../ollama/wire.ts';
import type { ChatCompletionChunkResponse, DeltaToolCall } from '../openai/chat-completion-response.ts';
import type { Usage } from '../openai/usage.ts';
import { convertLogprobs, type WithLogprobs } from './convert-logprobs.ts';
import { convertToolCallDelta } from './convert-tool-calls.ts';
import { convertUsage } from './convert-usage.ts';
import type { ResponseIdentity } from './from-ollama-chat-response.ts';
import type { IdGenerator } from './generate-id.ts';
import { mapDoneReason } from './map-done-reason.ts';

type Chunk = ChatCompletionChunkResponse;
type Delta = Chunk['choices'][number]['delta'];

export interface ChatChunkMapperOptions extends ResponseIdentity {
  /** `stream_options.include_usage`: every chunk carries `usage: null`, and a usage chunk ends the stream. */
  includeUsage: boolean;
  /** This generation's choice index when `n > 1` generations are merged into one stream. */
  choiceIndex?: number | undefined;
  /**
   * `false` when several mappers share one stream: the caller then sends one usage chunk summing
   * `usage()` of all of them (see `createChatUsageChunk`, `sumUsage`).
   */
  emitUsageChunk?: boolean | undefined;
  generateId: IdGenerator;
}

export interface ChatChunkMapper {
  /** The chunks for one native line (none for an empty line once the stream has started). */
  map(line: OllamaChatChunk & WithLogprobs): Chunk[];
  /** After the last line: the finish chunk, and the usage chunk when asked for and not merged. */
  finish(): Chunk[];
  /** Usage from the done line (zeros before it). */
  usage(): Usage;
}

export function createChatChunkMapper(options: ChatChunkMapperOptions): ChatChunkMapper {
  const choiceIndex = options.choiceIndex ?? 0;
  let started = false;
  let toolCallCount = 0;
  let doneLine: OllamaChatChunk | undefined;

  const build = (delta: Delta, extra: Partial<Chunk['choices'][number]> = {}): Chunk => ({
    ...createChunkBase(options),
    choices: [{ index: choiceIndex, delta, finish_reason: null, ...extra }],
  });

  const map = (line: OllamaChatChunk & WithLogprobs): Chunk[] => {
    if (line.done) doneLine = line;
    const content = line.message?.content ?? '';
    const thinking = line.message?.thinking ?? '';
    // Numbered here rather than from the native index, which older servers leave at 0 for every call.
    const toolCalls: DeltaToolCall[] = (line.message?.tool_calls ?? []).map((call) =>
      convertToolCallDelta(call, toolCallCount++, options.generateId),
    );
    const logprobs = convertLogprobs(line.logprobs);
    if (started && content === '' && thinking === '' && toolCalls.length === 0 && logprobs === undefined) return [];
    const role: Delta = started ? {} : { role: 'assistant' };
    const withLogprobs = logprobs === undefined ? {} : { logprobs };
    const withToolCalls = toolCalls.length > 0 ? { tool_calls: toolCalls } : {};
    started = true;
    if (thinking !== '' && (content !== '' || toolCalls.length > 0)) {
      return [
        build({ ...role, reasoning: thinking }, withLogprobs),
        build({ ...(content !== '' || toolCalls.length === 0 ? { content } : {}), ...withToolCalls }),
      ];
    }
    return [build({ ...role, content, ...(thinking === '' ? {} : { reasoning: thinking }), ...withToolCalls }, withLogprobs)];
  };

  const usage = (): Usage => convertUsage(doneLine ?? {});

  const finish = (): Chunk[] => {
    const finishChunk = build({}, { finish_reason: mapDoneReason(doneLine?.done_reason, toolCallCount > 0) });
    const withUsage = options.includeUsage && options.emitUsageChunk !== false;
    return withUsage ? [finishChunk, createChatUsageChunk(options, usage())] : [finishChunk];
  };

  return { map, finish, usage };
}

/** The last chunk before `[DONE]` when usage was asked for: `choices: []` and the token counts. */
export function createChatUsageChunk(identity: ResponseIdentity, usage: Usage): Chunk {
  return { ...createChunkBase(identity), choices: [], usage };
}

function createChunkBase(options: ResponseIdentity & { includeUsage?: boolean }): Omit<Chunk, 'choices'> {
  return {
    id: options.id,
    object: 'chat.completion.chunk',
    created: options.created,
    model: options.model,
    ...(options.systemFingerprint === undefined ? {} : { system_fingerprint: options.systemFingerprint }),
    ...(options.includeUsage === true ? { usage: null } : {}),
  };
}

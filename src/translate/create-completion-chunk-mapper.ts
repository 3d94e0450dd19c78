/**
 * Streamed `/api/generate` lines → `text_completion` chunks, by the same rules as chat (our choice;
 * Ollama's layer does not): one `created`, no empty chunks, a separate finish chunk, and usage only in
 * the final usage chunk.
 */
import type { OllamaGenerateChunk } from '../ollama/wire.ts';
import type { TextCompletionChunkResponse, TextCompletionFinishChunk } from '../openai/text-completion-response.ts';
import type { Usage } from '../openai/usage.ts';
import { convertCompletionLogprobs } from './convert-completion-logprobs.ts';
import { convertUsage } from './convert-usage.ts';
import type { ResponseIdentity } from './from-ollama-chat-response.ts';
import { mapCompletionDoneReason } from './map-done-reason.ts';

export interface CompletionChunkMapperOptions extends ResponseIdentity {
  /** `stream_options.include_usage`: a usage chunk ends the stream. */
  includeUsage: boolean;
  /** This generation's choice index when several generations are merged into one stream. */
  choiceIndex?: number | undefined;
  /** `false` when several mappers share one stream and the caller sends one summed usage chunk. */
  emitUsageChunk?: boolean | undefined;
  /** `echo: true`: the prompt, sent as the first text of the choice. */
  echoPrompt?: string | undefined;
}

export interface CompletionChunkMapper {
  /** The chunk for one native line; none when it carries no text. */
  map(line: OllamaGenerateChunk): TextCompletionChunkResponse[];
  /** After the last line: the finish chunk, and the usage chunk when asked for and not merged. */
  finish(): TextCompletionFinishChunk[];
  /** Usage from the done line (zeros before it). */
  usage(): Usage;
}

export function createCompletionChunkMapper(options: CompletionChunkMapperOptions): CompletionChunkMapper {
  const index = options.choiceIndex ?? 0;
  let doneLine: OllamaGenerateChunk | undefined;
  const base = createCompletionChunkBase(options);

  let pendingEcho = options.echoPrompt ?? '';

  // Where the next token starts in the choice's text, for `text_offset`.
  let textLength = 0;
  const map = (line: OllamaGenerateChunk): TextCompletionChunkResponse[] => {
    if (line.done) doneLine = line;
    const text = pendingEcho + line.response;
    const logprobs = convertCompletionLogprobs(line.logprobs, textLength + pendingEcho.length);
    pendingEcho = '';
    textLength += text.length;
    if (text === '' && logprobs === null) return [];
    return [{ ...base, choices: [{ index, text, logprobs, finish_reason: null }] }];
  };

  const usage = (): Usage => convertUsage(doneLine ?? {});

  const finish = (): TextCompletionFinishChunk[] => {
    const finishChunk: TextCompletionFinishChunk = {
      ...base,
      choices: [{ index, text: '', logprobs: null, finish_reason: mapCompletionDoneReason(doneLine?.done_reason) }],
    };
    const withUsage = options.includeUsage && options.emitUsageChunk !== false;
    return withUsage ? [finishChunk, createCompletionUsageChunk(options, usage())] : [finishChunk];
  };

  return { map, finish, usage };
}

/** The last chunk before `[DONE]` when usage was asked for: `choices: []` and the token counts. */
export function createCompletionUsageChunk(identity: ResponseIdentity, usage: Usage): TextCompletionFinishChunk {
  return { ...createCompletionChunkBase(identity), choices: [], usage };
}

function createCompletionChunkBase(identity: ResponseIdentity): Omit<TextCompletionFinishChunk, 'choices' | 'usage'> {
  return {
    id: identity.id,
    object: 'text_completion',
    created: identity.created,
    model: identity.model,
    ...(identity.systemFingerprint === undefined ? {} : { system_fingerprint: identity.systemFingerprint }),
  };
}

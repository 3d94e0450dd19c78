import type { Dispatcher } from 'undici';
import { gatewayError, upstreamError } from '../errors/gateway-error.ts';
import { LineSplitter, parseNdjsonLine } from '../ollama/split-lines.ts';
import { errorLine, incompleteStream } from './classify-generation-failure.ts';

/** One parsed line of Ollama's streamed chat or generate answer. */
export type OllamaLine = Record<string, unknown>;

/** Where the lines read so far are counted (the request's context). */
export interface LineCount {
  streamedLines?: number;
}

/**
 * Ollama's streamed answer → the lines each upstream chunk completed, as one batch (so what a chunk
 * carries can leave in one write), counted into `count` as they pass. An `{"error"}` line ends the
 * stream with an upstream error after the lines before it; a body that ends without a `done: true`
 * line was cut short and is an upstream error too, never a finish.
 */
export async function* readOllamaLines(body: AsyncIterable<Uint8Array>, count: LineCount = {}): AsyncGenerator<OllamaLine[]> {
  const splitter = new LineSplitter();
  let done = false;
  for await (const chunk of body) {
    const batch = toBatch(splitter.push(chunk));
    count.streamedLines = (count.streamedLines ?? 0) + batch.lines.length;
    if (batch.lines.length > 0) yield batch.lines;
    done ||= batch.done;
    if (batch.error !== undefined) throw errorLine(batch.error);
  }
  const last = splitter.end();
  if (last !== undefined) {
    const batch = toBatch([last]);
    count.streamedLines = (count.streamedLines ?? 0) + batch.lines.length;
    if (batch.lines.length > 0) yield batch.lines;
    done ||= batch.done;
    if (batch.error !== undefined) throw errorLine(batch.error);
  }
  if (!done) throw incompleteStream();
}

/** A whole (non-streamed) answer: one JSON object; an `{"error"}` body is an upstream error. */
export async function readOllamaAnswer(body: Dispatcher.ResponseData['body']): Promise<OllamaLine> {
  const text = await body.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw gatewayError('upstream_invalid_response', `Ollama answered with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw upstreamError('Ollama answered with an unexpected body.');
  const answer = parsed as OllamaLine;
  if (typeof answer['error'] === 'string') throw errorLine(answer['error']);
  return answer;
}

function toBatch(texts: readonly string[]): { lines: OllamaLine[]; done: boolean; error: string | undefined } {
  const lines: OllamaLine[] = [];
  let done = false;
  for (const text of texts) {
    const value = parseNdjsonLine(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw upstreamError(`Ollama sent a line that is not an object: ${text.slice(0, 200)}`, undefined, 'upstream_malformed_response');
    const line = value as OllamaLine;
    if (typeof line['error'] === 'string') return { lines, done, error: line['error'] };
    if (line['done'] === true) done = true;
    lines.push(line);
  }
  return { lines, done, error: undefined };
}

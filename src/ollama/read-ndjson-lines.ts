/** Ollama's NDJSON bodies (`application/x-ndjson`) → one parsed JSON value per line. */
import { LineSplitter, parseNdjsonLine } from './split-lines.ts';

export interface ReadNdjsonOptions {
  /** Longest accepted line in bytes (default 8 MB). */
  maxLineBytes?: number | undefined;
}

/** Yields each non-blank line as a string, the last one with or without a newline. */
export async function* splitNdjsonLines(body: AsyncIterable<Uint8Array>, options: ReadNdjsonOptions = {}): AsyncGenerator<string> {
  const splitter = new LineSplitter(options.maxLineBytes);
  for await (const chunk of body) yield* splitter.push(chunk);
  const last = splitter.end();
  if (last !== undefined) yield last;
}

/** Like `splitNdjsonLines`, parsing each line; a line that is not JSON is a 502 quoting its start. */
export async function* readNdjsonLines(body: AsyncIterable<Uint8Array>, options: ReadNdjsonOptions = {}): AsyncGenerator<unknown> {
  for await (const line of splitNdjsonLines(body, options)) yield parseNdjsonLine(line);
}

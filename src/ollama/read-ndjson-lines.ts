/** Ollama's NDJSON bodies (`application/x-ndjson`) → one parsed JSON value per line. */
import { upstreamError } from '../errors/gateway-error.ts';

export interface ReadNdjsonOptions {
  /** Longest accepted line in bytes; Ollama's own Go client stops at 8 MB too. */
  maxLineBytes?: number | undefined;
}

const defaultMaxLineBytes = 8 * 1024 * 1024;
const newline = 0x0a;

/**
 * Yields each non-blank line as a string, `\r\n` or `\n` terminated, the last one with or without a
 * newline. Splits on the newline byte before decoding: it never occurs inside a multi-byte UTF-8
 * character, so a character split across chunks is decoded whole, and the byte limit is exact.
 */
export async function* splitNdjsonLines(body: AsyncIterable<Uint8Array>, options: ReadNdjsonOptions = {}): AsyncGenerator<string> {
  const maxLineBytes = options.maxLineBytes ?? defaultMaxLineBytes;
  const decoder = new TextDecoder();
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const takeLine = (): string => {
    const line = decoder.decode(pending.length === 1 ? pending[0] : Buffer.concat(pending));
    pending = [];
    pendingBytes = 0;
    return line;
  };
  const keep = (bytes: Uint8Array): void => {
    pendingBytes += bytes.byteLength;
    if (pendingBytes > maxLineBytes) throw upstreamError(`Ollama sent a line longer than ${maxLineBytes} bytes`);
    if (bytes.byteLength > 0) pending.push(bytes);
  };
  for await (const chunk of body) {
    let start = 0;
    for (let end = chunk.indexOf(newline); end !== -1; end = chunk.indexOf(newline, start)) {
      keep(chunk.subarray(start, end));
      const line = takeLine().trim();
      if (line !== '') yield line;
      start = end + 1;
    }
    // copied: the body's buffer may be reused once we ask for the next chunk
    keep(chunk.slice(start));
  }
  const last = takeLine().trim();
  if (last !== '') yield last;
}

/** Like `splitNdjsonLines`, parsing each line; a line that is not JSON is a 502 quoting its start. */
export async function* readNdjsonLines(body: AsyncIterable<Uint8Array>, options: ReadNdjsonOptions = {}): AsyncGenerator<unknown> {
  for await (const line of splitNdjsonLines(body, options)) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw upstreamError(`Ollama sent a line that is not JSON: ${line.slice(0, 200)}`, error, 'upstream_malformed_response');
    }
    yield value;
  }
}

import { upstreamError } from '../errors/gateway-error.ts';

/** Longest accepted line in bytes; Ollama's own Go client stops at 8 MB too. */
export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;
const newline = 0x0a;

/**
 * Splits NDJSON bytes into lines as chunks arrive: `push` returns the lines a chunk completed (a chunk
 * with several lines gives them all at once, so their frames can go out in one write), `end` the last
 * line without a newline. Splits on the newline byte before decoding: it never occurs inside a
 * multi-byte UTF-8 character, so a character split across chunks is decoded whole, and the limit is exact.
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #decoder = new TextDecoder();
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;

  constructor(maxLineBytes = DEFAULT_MAX_LINE_BYTES) {
    this.#maxLineBytes = maxLineBytes;
  }

  /** The non-blank lines `chunk` completes, trimmed (`\r\n` or `\n` terminated). */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let end = chunk.indexOf(newline); end !== -1; end = chunk.indexOf(newline, start)) {
      this.#keep(chunk.subarray(start, end));
      const line = this.#take();
      if (line !== '') lines.push(line);
      start = end + 1;
    }
    // copied: the body's buffer may be reused once the next chunk is asked for
    if (start < chunk.byteLength) this.#keep(chunk.slice(start));
    return lines;
  }

  /** The last line when the body did not end with a newline. */
  end(): string | undefined {
    const last = this.#take();
    return last === '' ? undefined : last;
  }

  #keep(bytes: Uint8Array): void {
    this.#pendingBytes += bytes.byteLength;
    if (this.#pendingBytes > this.#maxLineBytes) throw upstreamError(`Ollama sent a line longer than ${this.#maxLineBytes} bytes`);
    if (bytes.byteLength > 0) this.#pending.push(bytes);
  }

  #take(): string {
    const pending = this.#pending;
    const line = pending.length === 0 ? '' : this.#decoder.decode(pending.length === 1 ? pending[0] : Buffer.concat(pending));
    this.#pending = [];
    this.#pendingBytes = 0;
    return line.trim();
  }
}

/** One NDJSON line → its value; a line that is not JSON is a 502 quoting its start. */
export function parseNdjsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw upstreamError(`Ollama sent a line that is not JSON: ${line.slice(0, 200)}`, error, 'upstream_malformed_response');
  }
}

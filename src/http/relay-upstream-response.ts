import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { pipeToResponse } from './pipe-to-response.ts';

/** Hop-by-hop response fields (RFC 9110 §7.6.1): about Ollama's connection to us, not ours to the client. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/**
 * Relays an upstream answer verbatim: its status, its end-to-end headers and its bytes as they come,
 * each chunk in one write with backpressure. An answer that may be a stream (no `content-length`, and
 * `mayStream` unless the caller knows it asked for a whole answer) has its headers sent at once, before
 * the first line; any other sends them with its first bytes, and an answer asked for whole is read whole
 * and leaves with the end of the response (one write for a small answer, chunked or not). `onChunk` sees every chunk
 * (usage, first byte). Resolves false when the client left before the end.
 */
export async function relayUpstreamResponse(
  res: ServerResponse,
  response: Pick<Dispatcher.ResponseData, 'statusCode' | 'headers' | 'body'>,
  onChunk?: (chunk: Buffer) => void,
  mayStream = true,
): Promise<boolean> {
  const headers: Record<string, string | string[]> = {};
  const named = new Set(String(response.headers['connection'] ?? '').toLowerCase().split(',').map((name) => name.trim()));
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)) headers[name] = value;
  }
  res.writeHead(response.statusCode, headers);
  if (mayStream && headers['content-length'] === undefined) res.flushHeaders();
  const pipe = pipeToResponse(res);
  if (!mayStream) {
    // Read whole (as the OpenAI routes read a whole answer): no stream iterator, and it leaves with the end.
    const whole = Buffer.from(await response.body.bytes());
    onChunk?.(whole);
    const open = !pipe.closed;
    pipe.end(whole);
    return open;
  }
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    onChunk?.(chunk);
    if (!pipe.write(chunk) && !(await pipe.drained())) return false;
  }
  pipe.end();
  return true;
}

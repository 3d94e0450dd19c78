import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { GatewayError } from '../errors/gateway-error.ts';

/** Headers of every event stream the gateway opens. */
export function openEventStream(res: ServerResponse, extraHeaders: Record<string, string> = {}): void {
  res.writeHead(200, {
    ...extraHeaders,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    // prevent nginx from buffering the response
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
}

/**
 * Writes raw text to a response, waiting for 'drain' when the socket buffer is full, so a slow
 * reader slows the upstream read instead of growing memory. Resolves false once the client is gone.
 */
export async function writeWithBackpressure(res: ServerResponse, text: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (res.write(text)) return true;
  const closed = once(res, 'close').then(() => false);
  const drained = once(res, 'drain').then(() => true);
  return Promise.race([drained, closed]);
}

/** `data: <json>\n\n` */
export function writeSseData(res: ServerResponse, data: unknown): Promise<boolean> {
  return writeWithBackpressure(res, `data: ${JSON.stringify(data)}\n\n`);
}

/** A comment line: ignored by SSE parsers, keeps proxies and idle timers from closing the stream. */
export function writeSseComment(res: ServerResponse, comment: string): Promise<boolean> {
  return writeWithBackpressure(res, `: ${comment.replaceAll('\n', ' ')}\n\n`);
}

/** The terminator OpenAI sends, then the end of the response. */
export async function endSseStream(res: ServerResponse): Promise<void> {
  if (await writeWithBackpressure(res, 'data: [DONE]\n\n')) res.end();
}

/**
 * A failure after the headers went out: one `data: {"error": …}` frame (the openai SDK raises it as
 * an APIError), then the end of the stream. No `[DONE]`: the stream did not complete.
 */
export function endSseWithError(res: ServerResponse, error: GatewayError): void {
  if (res.destroyed || res.writableEnded) return;
  res.end(`data: ${JSON.stringify(error.toBody())}\n\n`);
}

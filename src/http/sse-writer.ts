import type { ServerResponse } from 'node:http';
import type { GatewayError } from '../errors/gateway-error.ts';

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

/** `data: <json>\n\n` for each payload, as one string (one write). */
export function encodeSseData(payloads: readonly unknown[]): string {
  let frames = '';
  for (const payload of payloads) frames += `data: ${JSON.stringify(payload)}\n\n`;
  return frames;
}

/** The terminator OpenAI sends after the last chunk of a complete stream. */
export const SSE_DONE = 'data: [DONE]\n\n';

/**
 * A comment line: ignored by SSE parsers, keeps proxies and idle timers from closing the stream.
 * Comments are small and occasional (queue position, pull progress), so they do not wait for 'drain'.
 */
export function writeSseComment(res: ServerResponse, comment: string): void {
  if (!res.destroyed && !res.writableEnded) res.write(`: ${comment.replaceAll('\n', ' ')}\n\n`);
}

/**
 * A failure after the headers went out: one `data: {"error": …}` frame (the openai SDK raises it as
 * an APIError), then the end of the stream. No `[DONE]`: the stream did not complete.
 */
export function endSseWithError(res: ServerResponse, error: GatewayError): void {
  if (res.destroyed || res.writableEnded) return;
  res.end(`data: ${JSON.stringify(error.toBody())}\n\n`);
}

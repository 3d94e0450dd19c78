import type { ServerResponse } from 'node:http';

/** Sends `body` as `application/json` (Ollama's content type for single objects and errors). */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Ollama's error body: `{"error": "..."}`. */
export function sendError(response: ServerResponse, status: number, message: string): void {
  sendJson(response, status, { error: message });
}

/** A `text/plain` answer, as Ollama's router gives for `/` and unknown routes. */
export function sendText(response: ServerResponse, status: number, text: string, withBody = true): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(withBody ? text : undefined);
}

/** Starts an NDJSON stream; headers go out with the first write, as with Ollama. */
export function startNdjson(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/x-ndjson' });
}

/**
 * Writes `chunk`, then waits for `'drain'` when the socket buffer is full, so a slow reader slows the
 * simulator instead of growing its memory. Resolves false when the response closed first.
 */
export function writeChunk(response: ServerResponse, chunk: string): Promise<boolean> {
  if (response.destroyed) return Promise.resolve(false);
  if (response.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (): void => {
      response.off('drain', settle);
      response.off('close', settle);
      resolve(!response.destroyed);
    };
    response.on('drain', settle);
    response.on('close', settle);
  });
}

/** Waits `ms`; resolves false if `signal` aborts first. */
export function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

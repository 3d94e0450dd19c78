/** Small HTTP helpers for the simulator tests: real requests over 127.0.0.1, no client library. */
import { request as httpRequest, type IncomingMessage } from 'node:http';

export interface SimResponse {
  status: number;
  contentType: string;
  text: string;
}

/** POSTs `body` (JSON-encoded unless it is already a string) and reads the whole answer. */
export async function post(baseUrl: string, path: string, body: unknown, method = 'POST'): Promise<SimResponse> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** GETs `path` and reads the whole answer. */
export async function get(baseUrl: string, path: string, method = 'GET'): Promise<SimResponse> {
  const response = await fetch(`${baseUrl}${path}`, { method });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** Parses NDJSON text into objects, one per non-empty line. */
export function parseLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** POSTs with node:http and resolves with the response as soon as headers arrive (body unread). */
export function openStream(baseUrl: string, path: string, body: unknown): { response: Promise<IncomingMessage>; abort: () => void } {
  const url = new URL(path, baseUrl);
  const request = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  request.end(JSON.stringify(body));
  return { response, abort: () => request.destroy() };
}

/** Reads from `stream` until `count` complete NDJSON lines have arrived; resolves with them. */
export function readLines(stream: IncomingMessage, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      if (lines.length > count) {
        stream.off('data', onData);
        stream.pause();
        resolve(lines.slice(0, count));
      }
    };
    stream.on('data', onData);
    stream.once('error', reject);
  });
}

/** A chat request for `model` with one user message. */
export function chatBody(model: string, content: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model, messages: [{ role: 'user', content }], ...extra };
}

/** Collects a response body until the connection ends, cleanly or not; `ended` tells which. */
export function collectUntilClosed(stream: IncomingMessage): Promise<{ text: string; ended: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    let ended = false;
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.once('end', () => (ended = true));
    stream.once('error', () => undefined);
    stream.once('close', () => resolve({ text, ended }));
    stream.resume();
  });
}

/** Polls `condition` once per event-loop turn (bounded): the server sees a client's close a few turns later. */
export async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 500 && !condition(); attempt++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition not met');
}

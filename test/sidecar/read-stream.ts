import { createParser } from 'eventsource-parser';

/** Every `data:` payload (parsed JSON, or the raw text such as `[DONE]`) and every comment of an SSE body. */
export interface SseTranscript {
  data: unknown[];
  comments: string[];
}

/** Reads a whole SSE response body. */
export async function readSse(response: Response): Promise<SseTranscript> {
  const transcript: SseTranscript = { data: [], comments: [] };
  const parser = createParser({
    onEvent: (event) => transcript.data.push(event.data === '[DONE]' ? event.data : JSON.parse(event.data)),
    onComment: (comment) => transcript.comments.push(comment.trim()),
  });
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
  return transcript;
}

/** Reads a whole NDJSON response body into parsed lines. */
export async function readNdjson(response: Response): Promise<unknown[]> {
  const text = await response.text();
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown);
}

/** POSTs JSON to the gateway. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** One SSE item as it arrives: a `data:` payload or a comment. */
export type SseItem = { kind: 'data'; data: unknown } | { kind: 'comment'; text: string };

/** Yields SSE items as they arrive, so a test can act between them. */
export async function* iterateSse(response: Response): AsyncGenerator<SseItem> {
  const pending: SseItem[] = [];
  const parser = createParser({
    onEvent: (event) => pending.push({ kind: 'data', data: event.data === '[DONE]' ? event.data : JSON.parse(event.data) }),
    onComment: (comment) => pending.push({ kind: 'comment', text: comment.trim() }),
  });
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    yield* pending.splice(0);
  }
}

import { chatModel } from '../support/start-gateway.ts';

/** The canonical name of the chat model the simulator serves: limits and stats are keyed by it. */
export const chatModelKey = chatModel.includes(':') ? chatModel : `${chatModel}:latest`;

export interface ChatOptions {
  priority?: string;
  stream?: boolean;
  n?: number;
  /** Put in the user message, so the simulator's `lastBody` tells requests apart. */
  content?: string;
  signal?: AbortSignal;
  model?: string;
  headers?: Record<string, string>;
}

/** Sends one chat completion over plain HTTP (fetch), so status, headers and SSE bytes are all visible. */
export function postChat(baseUrl: string, options: ChatOptions = {}): Promise<Response> {
  const body = {
    model: options.model ?? chatModel,
    messages: [{ role: 'user', content: options.content ?? 'hello' }],
    ...(options.stream ? { stream: true } : {}),
    ...(options.n === undefined ? {} : { n: options.n }),
  };
  return fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: {
      'content-type': 'application/json',
      ...(options.priority === undefined ? {} : { 'x-priority': options.priority }),
      ...options.headers,
    },
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** What one SSE response carried: comment lines and parsed `data:` payloads (`[DONE]` kept as a string). */
export interface SseTranscript {
  comments: string[];
  data: unknown[];
  done: boolean;
  /** The `error` object of an error frame, when the stream ended with one. */
  error: { code: string | null; message: string; type: string } | undefined;
}

/** Reads a whole SSE response body. */
export async function readSse(response: Response): Promise<SseTranscript> {
  const text = await response.text();
  return parseSse(text);
}

/** Parses SSE text into comments and data payloads. */
export function parseSse(text: string): SseTranscript {
  const comments: string[] = [];
  const data: unknown[] = [];
  for (const frame of text.split('\n\n')) {
    for (const line of frame.split('\n')) {
      if (line.startsWith(': ')) comments.push(line.slice(2));
      else if (line.startsWith('data: ')) {
        const payload = line.slice(6);
        data.push(payload === '[DONE]' ? payload : JSON.parse(payload));
      }
    }
  }
  const last = data.at(-1) as { error?: SseTranscript['error'] } | string | undefined;
  const error = typeof last === 'object' ? last.error : undefined;
  return { comments, data, done: last === '[DONE]', error };
}

/** The text of a chat completion's first choice (non-streamed JSON body). */
export async function readChatText(response: Response): Promise<string> {
  const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
  return body.choices[0]?.message.content ?? '';
}

/**
 * Waits until `condition` holds, checking after each turn of the event loop (a condition, not a
 * duration: no sleep decides the outcome). Fails after `timeoutMs` with `what`.
 */
export async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** The user message the simulator last received on `/api/chat`. */
export function lastChatContent(lastBody: Record<string, unknown>): string | undefined {
  const body = lastBody['/api/chat'] as { messages?: Array<{ content: string }> } | undefined;
  return body?.messages?.at(-1)?.content;
}

/** Reads an SSE body as it arrives: `waitFor` resolves once the text so far matches; `rest` reads to the end. */
export function followBody(response: Response): { text(): string; waitFor(pattern: RegExp): Promise<void>; rest(): Promise<SseTranscript> } {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let received = '';
  let ended = false;
  const readMore = async (): Promise<void> => {
    const { value, done } = await reader.read();
    if (done) ended = true;
    else received += value;
  };
  return {
    text: () => received,
    async waitFor(pattern) {
      while (!pattern.test(received)) {
        if (ended) throw new Error(`the stream ended without ${pattern}: ${received}`);
        await readMore();
      }
    },
    async rest() {
      while (!ended) await readMore();
      return parseSse(received);
    },
  };
}

import { createParser } from 'eventsource-parser';
import type { StatusStreamEvent } from '../openai/sidecar-status-stream-event.ts';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'needs-key';

export interface StatusStreamOptions {
  url: string;
  /** Read at each (re)connection: the key may have been entered meanwhile. */
  key: () => string | null;
  onEvent: (event: StatusStreamEvent) => void;
  onState: (state: StreamState, detail?: string) => void;
}

/**
 * The client side of `GET /v1/status/stream`, for the status page and `llm-sidecar top`: reads it with
 * `fetch` (EventSource cannot send an Authorization header) and reconnects by itself after the
 * server's `retry:` delay. A 401 or 403 stops until `reconnect()`; `stop()` ends it for good.
 */
export function readStatusStream(options: StatusStreamOptions): { reconnect(): void; stop(): void } {
  let retryMs = 2000;
  let controller: AbortController | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  async function connect(): Promise<void> {
    clearTimeout(retryTimer);
    controller?.abort();
    const current = new AbortController();
    controller = current;
    options.onState('connecting');
    try {
      const key = options.key();
      const response = await fetch(options.url, { headers: key === null ? {} : { authorization: `Bearer ${key}` }, signal: current.signal, cache: 'no-store' });
      if (response.status === 401 || response.status === 403) {
        options.onState('needs-key', response.status === 403 ? 'This key may not read the status.' : key === null ? '' : 'The key was refused.');
        return;
      }
      if (!response.ok || response.body === null) throw new Error(`The stream answered ${response.status}.`);
      const parser = createParser({
        onRetry: (ms) => {
          retryMs = ms;
        },
        onEvent: (message) => {
          options.onState('live');
          options.onEvent(JSON.parse(message.data) as StatusStreamEvent);
        },
      });
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parser.feed(decoder.decode(chunk.value, { stream: true }));
      throw new Error('The stream ended.');
    } catch (error) {
      if (current.signal.aborted) return;
      options.onState('reconnecting', describeFailure(error));
      // onState may have stopped the stream (a one-shot reader gives up here).
      if (!stopped) retryTimer = setTimeout(() => void connect(), retryMs);
    }
  }

  void connect();
  return {
    reconnect: () => void connect(),
    stop: () => {
      stopped = true;
      clearTimeout(retryTimer);
      controller?.abort();
    },
  };
}

/** fetch rejects with "fetch failed"; the reason (ECONNREFUSED, …) is in its cause. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : error.message;
}

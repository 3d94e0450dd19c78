import { createParser } from 'eventsource-parser';
import { statusStreamEventSchema, type StatusStreamEvent } from '../../src/openai/sidecar-status-stream-event.ts';

/** An open `GET /v1/status/stream`: waits for events that match, and closes. */
export interface StatusEvents {
  retryMs: number | undefined;
  /** Resolves with the first event (from now on, or the latest already received) for which `predicate` holds. */
  next(predicate?: (event: StatusStreamEvent) => boolean): Promise<StatusStreamEvent>;
  close(): void;
}

/** Opens the stream and parses every event with the schema (a malformed event fails the waiter). */
export async function openStatusEvents(url: string, headers: Record<string, string> = {}): Promise<StatusEvents> {
  const abort = new AbortController();
  const response = await fetch(`${url}/v1/status/stream`, { headers, signal: abort.signal });
  if (response.status !== 200 || response.body === null) throw new Error(`status stream answered ${response.status}: ${await response.text()}`);
  let latest: StatusStreamEvent | undefined;
  let failure: unknown;
  let waiters: Array<{ predicate: (event: StatusStreamEvent) => boolean; resolve: (event: StatusStreamEvent) => void; reject: (error: unknown) => void }> = [];
  const events: StatusEvents = { retryMs: undefined, next, close: () => abort.abort() };
  const parser = createParser({
    onRetry: (ms) => {
      events.retryMs = ms;
    },
    onEvent: (message) => {
      try {
        latest = statusStreamEventSchema.parse(JSON.parse(message.data));
      } catch (error) {
        failure = error;
        for (const waiter of waiters) waiter.reject(error);
        waiters = [];
        return;
      }
      const ready = waiters.filter((waiter) => waiter.predicate(latest!));
      waiters = waiters.filter((waiter) => !ready.includes(waiter));
      for (const waiter of ready) waiter.resolve(latest);
    },
  });
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body!) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch {
      // aborted by close()
    }
  })();
  function next(predicate: (event: StatusStreamEvent) => boolean = () => true): Promise<StatusStreamEvent> {
    if (failure !== undefined) return Promise.reject(failure);
    if (latest !== undefined && predicate(latest)) return Promise.resolve(latest);
    return new Promise((resolve, reject) => waiters.push({ predicate, resolve, reject }));
  }
  return events;
}

/**
 * Streams one generation as Server-Sent Events with an `event:` line per event, as the Responses and
 * Anthropic dialects frame them (the Anthropic SDK drops events without one). Ends without `[DONE]`.
 * The headers go out once Ollama said OK (or earlier, opened by the queue heartbeat), so an error
 * before that keeps its real status; after it, the dialect's error events end the stream.
 */
import type { Response } from 'express';
import { GatewayError, upstreamError } from '../errors/gateway-error.ts';
import { readNdjsonLines } from '../ollama/read-ndjson-lines.ts';
import type { ModelCall } from './model-call.ts';
import { toStreamFailure } from './relay-sse.ts';
import { contextOf } from './request-context.ts';
import { openEventStream, writeWithBackpressure } from './sse-writer.ts';

export interface NamedEventRelay<Event extends { type: string }> {
  /** Waits for a slot, then for Ollama's OK. */
  start(): Promise<ModelCall>;
  map(line: Record<string, unknown>): Event[];
  /** After the last line; throws when the answer did not complete. */
  finish(): Event[];
  /** The events that tell the client the stream failed. */
  failure(error: GatewayError): Event[];
  onFirstOutput?(): void;
  /** After the last event of a completed stream was written. */
  onComplete?(): Promise<void>;
}

/** `event: <type>` then `data: <json>`; `data.type` repeats the name, as both dialects do. */
export function writeSseEvent(res: Response, event: { type: string }): Promise<boolean> {
  return writeWithBackpressure(res, `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

export async function relayNamedEvents<Event extends { type: string }>(res: Response, relay: NamedEventRelay<Event>): Promise<void> {
  const context = contextOf(res);
  let wroteOutput = false;
  const send = async (events: readonly Event[]): Promise<boolean> => {
    if (!res.headersSent) openEventStream(res);
    if (!wroteOutput && events.length > 0) {
      wroteOutput = true;
      relay.onFirstOutput?.();
    }
    for (const event of events) if (!(await writeSseEvent(res, event))) return false;
    return true;
  };
  try {
    const call = await relay.start();
    try {
      if (!res.headersSent) openEventStream(res);
      if (!(await pump(call, relay, send))) return;
    } finally {
      call.release();
    }
    if (await send(relay.finish())) {
      await relay.onComplete?.();
      res.end();
    }
  } catch (error) {
    if (!res.headersSent) throw error;
    const failure = toStreamFailure(error, context.abort.signal);
    context.error = failure;
    if (res.destroyed || res.writableEnded) return;
    await send(relay.failure(failure));
    res.end();
  }
}

/** False when the client went away. */
async function pump<Event extends { type: string }>(call: ModelCall, relay: NamedEventRelay<Event>, send: (events: readonly Event[]) => Promise<boolean>): Promise<boolean> {
  try {
    for await (const line of readNdjsonLines(call.response.body)) {
      const parsed = line as Record<string, unknown>;
      if (typeof parsed['error'] === 'string') throw upstreamError(`Ollama failed while generating: ${parsed['error']}`);
      const events = relay.map(parsed);
      if (events.length > 0 && !(await send(events))) return false;
    }
    return true;
  } catch (error) {
    // The body stream reports our own abort (deadline, drain) as its reason.
    const failure = call.signal.aborted && call.signal.reason instanceof GatewayError ? call.signal.reason : error;
    call.recordFailure(failure);
    throw failure;
  }
}

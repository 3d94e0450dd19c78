import type { Response } from 'express';
import { classifyUpstreamFailure } from '../errors/classify-upstream-failure.ts';
import { GatewayError, upstreamError } from '../errors/gateway-error.ts';
import { readNdjsonLines } from '../ollama/read-ndjson-lines.ts';
import type { ModelCall } from './model-call.ts';
import { contextOf } from './request-context.ts';
import { runGenerations } from './run-generations.ts';
import { endSseStream, endSseWithError, openEventStream, writeSseData } from './sse-writer.ts';

/** Turns each native NDJSON line of one generation into the SSE payloads to send. */
export type LineMapper = (line: Record<string, unknown>) => readonly unknown[];

export interface RelayOptions {
  /** How many generations (choices) the stream carries. */
  count: number;
  /** Starts generation `index`: waits for a slot, then for Ollama's OK. */
  start: (index: number) => Promise<ModelCall>;
  /** One mapper per generation, in choice order. */
  mappers: readonly LineMapper[];
  /** Payloads after every generation finished (finish chunks, usage), before `[DONE]`. */
  finish: () => readonly unknown[];
  /** Told once, when the first payload is written. */
  onFirstOutput?: () => void;
}

/**
 * Streams one or more generations to the client as Server-Sent Events while they are produced. The
 * SSE headers go out when the first generation has Ollama's OK, so an error before that keeps its
 * real HTTP status. Each upstream NDJSON body is read line by line, mapped, and written with
 * backpressure; an error line or a broken upstream after that becomes one final SSE error frame.
 */
export async function relayAsSse(res: Response, options: RelayOptions): Promise<void> {
  const context = contextOf(res);
  let firstOutputSeen = false;
  // Writes from several generations are chained so frames never interleave.
  let writeChain: Promise<boolean> = Promise.resolve(true);
  const send = (payloads: readonly unknown[]): Promise<boolean> => {
    if (!res.headersSent) openEventStream(res);
    for (const payload of payloads) writeChain = writeChain.then((open) => open && writeSseData(res, payload));
    if (!firstOutputSeen && payloads.length > 0) {
      firstOutputSeen = true;
      options.onFirstOutput?.();
    }
    return writeChain;
  };
  try {
    await runGenerations(res, options.count, async (index) => {
      const call = await options.start(index);
      try {
        if (!res.headersSent) openEventStream(res);
        await pump(call, options.mappers[index]!, send);
      } finally {
        call.release();
      }
    });
  } catch (error) {
    if (!res.headersSent) throw error;
    const failure = toStreamFailure(error, context.abort.signal);
    context.error = failure;
    await writeChain.catch(() => false);
    endSseWithError(res, failure);
    return;
  }
  if (await send(options.finish())) await endSseStream(res);
}

async function pump(call: ModelCall, map: LineMapper, send: (payloads: readonly unknown[]) => Promise<boolean>): Promise<void> {
  try {
    for await (const line of readNdjsonLines(call.response.body)) {
      const parsed = line as Record<string, unknown>;
      if (typeof parsed['error'] === 'string') throw upstreamError(`Ollama failed while generating: ${parsed['error']}`);
      const payloads = map(parsed);
      if (payloads.length > 0 && !(await send(payloads))) return;
    }
  } catch (error) {
    // The body stream reports our own abort (deadline, drain) as its reason.
    const failure = call.signal.aborted && call.signal.reason instanceof GatewayError ? call.signal.reason : error;
    call.recordFailure(failure);
    throw failure;
  }
}

/** What a failure after the stream started is reported as; a client that left is a 499 (only logged). */
export function toStreamFailure(error: unknown, clientSignal: AbortSignal): GatewayError {
  if (error instanceof GatewayError) return error;
  if (clientSignal.aborted) {
    const reason: unknown = clientSignal.reason;
    if (reason instanceof GatewayError) return reason;
    return new GatewayError('The client closed the connection.', { status: 499, type: 'invalid_request_error', code: 'client_closed' });
  }
  return classifyUpstreamFailure(error, 'ollama');
}

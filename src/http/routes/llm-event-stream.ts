import type { Request, Response } from 'express';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { pipeToResponse } from '../pipe-to-response.ts';
import { encodeSseData, openEventStream, SSE_DONE } from '../sse-writer.ts';

/** How the sidecar's own routes stream: SSE by default, NDJSON (Ollama's own framing) on request. */
export type EventFormat = 'sse' | 'ndjson';

/** The framing of one event stream. */
export interface EventEncoder {
  /** The frames of these payloads, as one string. */
  encode(payloads: readonly unknown[]): string;
  /** After the last event of a complete stream: SSE's `data: [DONE]`; nothing for NDJSON. */
  terminator: string;
  /** The final error event (`{"error": …}`) of a stream that failed after its headers. */
  encodeError(error: GatewayError): string;
}

/** `Accept: application/x-ndjson` asks for NDJSON; anything else gets SSE. */
export function chooseEventFormat(req: Request): EventFormat {
  const accept = req.headers.accept ?? '';
  return /application\/(x-)?ndjson/i.test(accept) ? 'ndjson' : 'sse';
}

const sseEncoder: EventEncoder = {
  encode: encodeSseData,
  terminator: SSE_DONE,
  encodeError: (error) => encodeSseData([error.toBody()]),
};

const ndjsonEncoder: EventEncoder = {
  encode: (payloads) => {
    let lines = '';
    for (const payload of payloads) lines += `${JSON.stringify(payload)}\n`;
    return lines;
  },
  terminator: '',
  encodeError: (error) => `${JSON.stringify(error.toBody())}\n`,
};

/** Opens the stream (unless a heartbeat or pull progress already opened the SSE response) and gives its framing. */
export function openLlmEventStream(res: Response, format: EventFormat): EventEncoder {
  if (format === 'sse') {
    if (!res.headersSent) openEventStream(res);
    return sseEncoder;
  }
  if (!res.headersSent) {
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    res.flushHeaders();
  }
  return ndjsonEncoder;
}

/** A stream of single events with backpressure, for routes that send few (pull progress). */
export interface EventStream {
  /** Resolves false once the client is gone. */
  write(payload: unknown): Promise<boolean>;
  /** SSE ends with `data: [DONE]`; NDJSON simply ends. */
  end(): Promise<void>;
  /** After the headers: one final error event, then the end. */
  fail(error: GatewayError): void;
}

/** Opens the stream and writes events one by one through the response's one pipe. */
export function openLlmEvents(res: Response, format: EventFormat): EventStream {
  const encoder = openLlmEventStream(res, format);
  const pipe = pipeToResponse(res);
  return {
    write: async (payload) => pipe.write(encoder.encode([payload])) || pipe.drained(),
    end: async () => pipe.end(encoder.terminator),
    fail: (error) => pipe.end(encoder.encodeError(error)),
  };
}

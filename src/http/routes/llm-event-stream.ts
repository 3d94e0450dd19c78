import type { Request, Response } from 'express';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { endSseStream, endSseWithError, openEventStream, writeSseData, writeWithBackpressure } from '../sse-writer.ts';

/** How the sidecar's own routes stream: SSE by default, NDJSON (Ollama's own framing) on request. */
export type EventFormat = 'sse' | 'ndjson';

/** A streamed response of events, either framing, with backpressure. */
export interface EventStream {
  /** Resolves false once the client is gone. */
  write(payload: unknown): Promise<boolean>;
  /** SSE ends with `data: [DONE]`; NDJSON simply ends. */
  end(): Promise<void>;
  /** After the headers: one final error event (`{"error": …}`), then the end. */
  fail(error: GatewayError): void;
}

/** `Accept: application/x-ndjson` asks for NDJSON; anything else gets SSE. */
export function chooseEventFormat(req: Request): EventFormat {
  const accept = req.headers.accept ?? '';
  return /application\/(x-)?ndjson/i.test(accept) ? 'ndjson' : 'sse';
}

/** Opens the stream (unless a heartbeat or pull progress already opened the SSE response). */
export function openLlmEventStream(res: Response, format: EventFormat): EventStream {
  if (format === 'sse') {
    if (!res.headersSent) openEventStream(res);
    return {
      write: (payload) => writeSseData(res, payload),
      end: () => endSseStream(res),
      fail: (error) => endSseWithError(res, error),
    };
  }
  if (!res.headersSent) {
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    res.flushHeaders();
  }
  return {
    write: (payload) => writeWithBackpressure(res, `${JSON.stringify(payload)}\n`),
    end: async () => {
      if (!res.writableEnded) res.end();
    },
    fail: (error) => {
      if (!res.destroyed && !res.writableEnded) res.end(`${JSON.stringify(error.toBody())}\n`);
    },
  };
}

import type { Request, Response } from 'express';
import type { StatusBroadcaster } from '../../status/status-broadcaster.ts';
import { openEventStream, writeWithBackpressure } from '../sse-writer.ts';

/** How long an EventSource waits before reconnecting after the stream broke. */
const RECONNECT_MS = 2_000;

/**
 * `GET /v1/status/stream`: Server-Sent Events, one `data:` status snapshot every second or as soon as
 * queues or health change, until the client goes away. `retry:` tells EventSource clients when to
 * come back; every event is a whole snapshot, so a reconnecting client has nothing to catch up on.
 */
export function statusStreamHandler(broadcaster: StatusBroadcaster) {
  return (_req: Request, res: Response): void => {
    openEventStream(res);
    res.write(`retry: ${RECONNECT_MS}\n\n`);
    const unsubscribe = broadcaster.subscribe((event) => writeWithBackpressure(res, `data: ${JSON.stringify(event)}\n\n`));
    res.once('close', unsubscribe);
  };
}

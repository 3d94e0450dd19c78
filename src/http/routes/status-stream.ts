import type { ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import type { StatusBroadcaster } from '../../status/status-broadcaster.ts';
import { encodeSseData, openEventStream } from '../sse-writer.ts';

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
    const unsubscribe = broadcaster.subscribe((event) => writeEvent(res, encodeSseData([event])));
    res.once('close', unsubscribe);
  };
}

/** Resolves once the socket took the event ('drain') or the client left: until then the broadcaster skips this client. */
function writeEvent(res: ServerResponse, frame: string): Promise<void> {
  if (res.destroyed || res.writableEnded || res.write(frame)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

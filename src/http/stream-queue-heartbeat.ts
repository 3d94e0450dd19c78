import type { Response } from 'express';
import type { QueueTicket } from '../scheduler/scheduler.ts';
import type { GatewayServices } from './gateway-services.ts';
import { openEventStream, writeSseComment } from './sse-writer.ts';

export interface QueueHeartbeat {
  onQueued: (ticket: QueueTicket) => void;
  stop: () => void;
}

/**
 * For a streaming request that waits in the queue: after `openAfterMs` the SSE response is opened
 * early and `: queued position=N` comments follow every `intervalMs`, so proxies and clients do not
 * time out. The trade: from then on an error can only be an SSE error event, no longer an HTTP status.
 */
export function streamQueueHeartbeat(
  services: GatewayServices,
  res: Response,
  /** What each beat writes: a comment by default; the Anthropic dialect sends `ping` events. */
  writeBeat: (res: Response, ticket: QueueTicket) => void = (response, ticket) => writeSseComment(response, `queued position=${ticket.position()}`),
): QueueHeartbeat {
  let timer: NodeJS.Timeout | undefined;
  const { openAfterMs, intervalMs } = services.getConfig().queueHeartbeat;
  const beat = (ticket: QueueTicket): void => {
    if (!res.headersSent) openEventStream(res);
    writeBeat(res, ticket);
    timer = setTimeout(beat, intervalMs, ticket);
  };
  return {
    onQueued: (ticket) => {
      // With n > 1 several generations may wait; one heartbeat speaks for the request.
      timer ??= setTimeout(beat, openAfterMs, ticket);
    },
    stop: () => clearTimeout(timer),
  };
}

import type { StatusResponse } from '../openai/sidecar-status-response.ts';
import { buildStatusEvent } from '../status/build-status-event.ts';
import { createGatewayProcessReader } from '../status/read-gateway-process.ts';
import { RecentErrors } from '../status/recent-errors.ts';
import { StatusBroadcaster } from '../status/status-broadcaster.ts';
import { StatusRecorder } from '../status/status-recorder.ts';
import type { GatewayServices } from './gateway-services.ts';
import { createStatusReader, type StatusDeps } from './routes/status.ts';

/** Everything behind `/v1/status` and its stream, owned by one app instance. */
export interface StatusFeed {
  readStatus: () => Promise<StatusResponse>;
  recorder: StatusRecorder;
  recentErrors: RecentErrors;
  broadcaster: StatusBroadcaster;
  close(): void;
}

export interface StatusFeedOptions {
  /** Time between two history samples (10 s by default: 90 of them are the last 15 minutes). */
  historyIntervalMs?: number;
}

/** Wires the status reader, the history recorder, recent errors and the stream's broadcaster together. */
export function createStatusFeed(services: GatewayServices, deps: StatusDeps, options: StatusFeedOptions = {}): StatusFeed {
  const readStatus = createStatusReader(services, deps);
  const readScheduler = () => services.scheduler.snapshot();
  const recorder = new StatusRecorder({ metrics: services.metrics, readScheduler, now: services.now, ...(options.historyIntervalMs === undefined ? {} : { intervalMs: options.historyIntervalMs }) });
  const recentErrors = new RecentErrors();
  const readProcess = createGatewayProcessReader(services.now);
  const broadcaster = new StatusBroadcaster({
    buildEvent: async () => {
      const [status, recorded] = await Promise.all([readStatus(), recorder.describe()]);
      return buildStatusEvent(status, recorded, recentErrors.list(), readProcess());
    },
    // What an operator watches move: queues, slots, reservoirs, health, pulls and errors.
    fingerprint: () => {
      const scheduler = readScheduler();
      const lanes = Object.entries(scheduler.models).map(([name, lane]) => `${name}:${lane.active}/${lane.queued}/${lane.reservoirLeft ?? ''}`);
      const pulls = deps.pulls.active().map((pull) => `${pull.model}:${pull.progress?.percent ?? ''}`);
      const health = services.pool.nodes.map((node) => `${node.name}:${String(node.health.snapshot.healthy)}`);
      return [health.join(','), lanes.join(','), pulls.join(','), recentErrors.list()[0]?.at ?? ''].join('|');
    },
    onError: (error) => services.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'status snapshot failed'),
  });
  recorder.start();
  return {
    readStatus,
    recorder,
    recentErrors,
    broadcaster,
    close() {
      broadcaster.stop();
      recorder.stop();
    },
  };
}

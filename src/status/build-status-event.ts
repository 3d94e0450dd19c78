import { modelKey } from '../config/model-key.ts';
import type { StatusResponse } from '../openai/sidecar-status-response.ts';
import type { StatusStreamEvent } from '../openai/sidecar-status-stream-event.ts';
import type { RecentError } from './recent-errors.ts';
import type { GatewayProcessReading } from './read-gateway-process.ts';
import type { RecordedStatus } from './status-recorder.ts';

/**
 * Assembles one status stream event. The recorder keys models by model key; the event uses the
 * names the status reports, so a client matches `live` and `history` to `status.models` by name.
 */
export function buildStatusEvent(status: StatusResponse, recorded: RecordedStatus, recentErrors: RecentError[], gateway: GatewayProcessReading): StatusStreamEvent {
  const nameOf = new Map(status.models.map((model) => [modelKey(model.name), model.name]));
  const byName = <T>(values: Map<string, T>): Record<string, T> => {
    const record: Record<string, T> = {};
    for (const [key, value] of values) record[nameOf.get(key) ?? key] = value;
    return record;
  };
  return {
    status,
    live: { window_s: recorded.liveWindowMs / 1000, models: byName(recorded.live), keys: Object.fromEntries(recorded.keys) },
    history: {
      interval_s: recorded.intervalMs / 1000,
      samples: recorded.series.map((sample) => ({ at: new Date(sample.at).toISOString(), models: byName(sample.models) })),
    },
    recent_errors: recentErrors,
    gateway,
  };
}

import { modelKey } from '../config/model-key.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import type { SchedulerSnapshot } from '../scheduler/scheduler-types.ts';
import { describeKeyStats, describeLiveStats, describeSeries, type HistorySample, type LiveKeyStats, type LiveModelStats, type ModelPoint, type ModelReading } from './describe-history.ts';
import { readKeyCounters } from './read-key-counters.ts';
import { readModelCounters } from './read-model-counters.ts';
import { RingBuffer } from './ring-buffer.ts';

export interface StatusRecorderOptions {
  metrics: GatewayMetrics;
  readScheduler: () => SchedulerSnapshot;
  now: () => number;
  /** Time between two history samples. */
  intervalMs?: number;
  /** Samples kept: with the defaults, 90 × 10 s = the last 15 minutes. */
  capacity?: number;
  /** The span the live rates (requests/s, tokens/s, TTFT percentiles) are measured over. */
  liveWindowMs?: number;
}

/** What the recorder knows, keyed by model key: live rates now, and the sparkline points. */
export interface RecordedStatus {
  intervalMs: number;
  liveWindowMs: number;
  live: Map<string, LiveModelStats>;
  /** Per named API key. */
  keys: Map<string, LiveKeyStats>;
  series: Array<{ at: number; models: Map<string, ModelPoint> }>;
}

/**
 * Keeps the recent past of every model in a fixed-size ring buffer — queue depth, tokens/s and time
 * to first token — so a status page opened now already draws the last 15 minutes. No database.
 */
export class StatusRecorder {
  readonly #options: Required<StatusRecorderOptions>;
  readonly #samples: RingBuffer<HistorySample>;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: StatusRecorderOptions) {
    this.#options = { intervalMs: 10_000, capacity: 90, liveWindowMs: 300_000, ...options };
    this.#samples = new RingBuffer(this.#options.capacity);
  }

  /** Takes a sample now and then every interval, until `stop`. */
  start(): void {
    if (this.#timer !== undefined) return;
    void this.record();
    this.#timer = setInterval(() => void this.record(), this.#options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Adds one sample of every model's counts and counters to the history. */
  async record(): Promise<void> {
    this.#samples.push(await this.#read());
  }

  /** The live rates (up to this moment) and the recorded history. */
  async describe(): Promise<RecordedStatus> {
    const samples = this.#samples.toArray();
    const current = await this.#read();
    return {
      intervalMs: this.#options.intervalMs,
      liveWindowMs: this.#options.liveWindowMs,
      live: describeLiveStats(samples, current, this.#options.liveWindowMs),
      keys: describeKeyStats(samples, current, this.#options.liveWindowMs),
      series: describeSeries(samples),
    };
  }

  async #read(): Promise<HistorySample> {
    const at = this.#options.now();
    const [counters, keys] = await Promise.all([readModelCounters(this.#options.metrics), readKeyCounters(this.#options.metrics.registry)]);
    const scheduler = this.#options.readScheduler();
    const models = new Map<string, ModelReading>();
    const of = (name: string): ModelReading => {
      const key = modelKey(name);
      let reading = models.get(key);
      if (reading === undefined) {
        reading = { queued: 0, active: 0, counters: { requests: 0, completionTokens: 0, firstTokenBuckets: [] } };
        models.set(key, reading);
      }
      return reading;
    };
    for (const [name, modelCounters] of counters) of(name).counters = modelCounters;
    for (const [name, lane] of Object.entries(scheduler.models)) {
      const reading = of(name);
      reading.queued = lane.queued;
      reading.active = lane.active;
    }
    return { at, models, keys };
  }
}

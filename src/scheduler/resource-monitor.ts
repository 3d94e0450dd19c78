import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';
import type { AdmissionGate, ResourceReadings, ResourceSnapshot } from './admission-gate.ts';
import { DEFAULT_RESOURCE_THRESHOLDS, findPressureReasons, type ResourceThresholds } from './resource-pressure.ts';
import { readContainerReadings } from './resource-readings.ts';

export interface ResourceMonitorOptions {
  /** Folder holding `proc/` and `sys/fs/cgroup/`; `/` by default. Ignored when `readReadings` is given. */
  root?: string;
  /** Replaces reading the machine (tests). */
  readReadings?: () => ResourceReadings;
  thresholds?: Partial<ResourceThresholds>;
  /** How often `start()` samples; 1 s by default. */
  intervalMs?: number;
}

/**
 * Samples memory, CPU load and event loop delay, and pauses admission of new work above the
 * thresholds. Subscribers (the scheduler) are told after every sample so waiting queues resume.
 */
export class ResourceMonitor implements AdmissionGate {
  #thresholds: ResourceThresholds;
  #readReadings: () => ResourceReadings;
  #intervalMs: number;
  #histogram: ELDHistogram | null = null;
  #interval: NodeJS.Timeout | null = null;
  #readings: ResourceReadings | null = null;
  #listeners = new Set<() => void>();

  constructor(options: ResourceMonitorOptions = {}) {
    this.#thresholds = { ...DEFAULT_RESOURCE_THRESHOLDS, ...options.thresholds };
    this.#intervalMs = options.intervalMs ?? 1_000;
    const root = options.root ?? '/';
    this.#readReadings = options.readReadings ?? (() => this.#readMachine(root));
  }

  /** Takes a first sample, then one every interval (the timer does not keep the process alive). */
  start(): void {
    if (this.#interval !== null) return;
    this.#histogram = monitorEventLoopDelay({ resolution: 20 });
    this.#histogram.enable();
    this.sample();
    this.#interval = setInterval(() => this.sample(), this.#intervalMs).unref();
  }

  stop(): void {
    if (this.#interval !== null) clearInterval(this.#interval);
    this.#interval = null;
    this.#histogram?.disable();
    this.#histogram = null;
  }

  /** Reads now and notifies subscribers. */
  sample(): void {
    this.#readings = this.#readReadings();
    for (const listener of this.#listeners) listener();
  }

  canAdmit(memoryCostBytes: number): boolean {
    return this.#readings === null || findPressureReasons(this.#readings, this.#thresholds, memoryCostBytes).length === 0;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  snapshot(): ResourceSnapshot {
    const reasons = this.#readings === null ? [] : findPressureReasons(this.#readings, this.#thresholds, 0);
    return { paused: reasons.length > 0, reasons, readings: this.#readings };
  }

  #readMachine(root: string): ResourceReadings {
    const container = readContainerReadings(root);
    const eventLoopDelayMs = this.#histogram === null ? 0 : this.#histogram.mean / 1e6;
    this.#histogram?.reset();
    return {
      hostAvailableMemoryBytes: container.hostAvailableMemoryBytes,
      cgroupMemoryLimitBytes: container.cgroupMemoryLimitBytes,
      cgroupMemoryUsageBytes: container.cgroupMemoryUsageBytes,
      cpuCount: container.cpuQuota ?? availableParallelism(),
      loadAverage: loadavg()[0] ?? 0,
      eventLoopDelayMs: Number.isNaN(eventLoopDelayMs) ? 0 : eventLoopDelayMs,
    };
  }
}

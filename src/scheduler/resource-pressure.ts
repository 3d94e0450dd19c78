import type { ResourceReadings } from './admission-gate.ts';
import { resolveMinFreeMemoryBytes } from './resource-floor.ts';

/** Where admission pauses. Defaults suit one Ollama on one GPU host. */
export interface ResourceThresholds {
  /** Free memory (host or cgroup, whichever is lower) that must remain after a request's memory cost; undefined = scaled to the container. */
  minFreeMemoryBytes: number | undefined;
  /** Highest share of the cgroup memory limit in use, counting the request's memory cost. */
  maxMemoryFraction: number;
  /** Highest one-minute load average per allowed CPU. */
  maxLoadPerCpu: number;
  /** Highest mean event loop delay: past it the gateway itself is starved. */
  maxEventLoopDelayMs: number;
}

export const DEFAULT_RESOURCE_THRESHOLDS: ResourceThresholds = {
  minFreeMemoryBytes: undefined,
  maxMemoryFraction: 0.95,
  maxLoadPerCpu: 4,
  maxEventLoopDelayMs: 200,
};

/**
 * The reasons a request needing `memoryCostBytes` of headroom may not start under `readings`;
 * empty when it may. Unknown readings never block.
 */
export function findPressureReasons(readings: ResourceReadings, thresholds: ResourceThresholds, memoryCostBytes: number): string[] {
  const reasons: string[] = [];
  const freeBytes = computeFreeMemoryBytes(readings);
  const floorBytes = resolveMinFreeMemoryBytes(thresholds.minFreeMemoryBytes, readings.cgroupMemoryLimitBytes);
  if (freeBytes !== null && freeBytes - memoryCostBytes < floorBytes) {
    reasons.push(`memory: ${freeBytes} bytes free, ${memoryCostBytes} needed above a floor of ${floorBytes}`);
  }
  const { cgroupMemoryLimitBytes: limit, cgroupMemoryUsageBytes: usage } = readings;
  if (limit !== null && usage !== null && (usage + memoryCostBytes) / limit > thresholds.maxMemoryFraction) {
    reasons.push(`memory: cgroup would use more than ${thresholds.maxMemoryFraction * 100}% of its limit`);
  }
  const loadPerCpu = readings.loadAverage / Math.max(1, readings.cpuCount);
  if (loadPerCpu > thresholds.maxLoadPerCpu) reasons.push(`cpu: load ${loadPerCpu.toFixed(2)} per CPU`);
  if (readings.eventLoopDelayMs > thresholds.maxEventLoopDelayMs) {
    reasons.push(`event loop: ${readings.eventLoopDelayMs.toFixed(0)} ms delay`);
  }
  return reasons;
}

function computeFreeMemoryBytes(readings: ResourceReadings): number | null {
  const { hostAvailableMemoryBytes: host, cgroupMemoryLimitBytes: limit, cgroupMemoryUsageBytes: usage } = readings;
  const cgroupFree = limit !== null && usage !== null ? limit - usage : null;
  if (host === null) return cgroupFree;
  return cgroupFree === null ? host : Math.min(host, cgroupFree);
}

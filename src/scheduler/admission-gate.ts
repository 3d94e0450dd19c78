/** Host and container readings the resource monitor bases admission on. */
export interface ResourceReadings {
  /** Bytes the host can give without swapping (`MemAvailable`), or null when unreadable. */
  hostAvailableMemoryBytes: number | null;
  /** cgroup memory limit in bytes, or null when unlimited or not in a cgroup. */
  cgroupMemoryLimitBytes: number | null;
  cgroupMemoryUsageBytes: number | null;
  /** CPUs the cgroup quota allows (`cpu.max`), or the host's count when unlimited. */
  cpuCount: number;
  /** One-minute load average. */
  loadAverage: number;
  /** Mean event loop delay over the last sampling period, in milliseconds. */
  eventLoopDelayMs: number;
}

/** What the monitor reports: the last readings and whether admission is paused, and why. */
export interface ResourceSnapshot {
  paused: boolean;
  reasons: string[];
  readings: ResourceReadings | null;
}

/**
 * Decides whether new work may start now. When it says no, work waits in its queue (it does not
 * fail), and the scheduler re-checks its queues each time the gate notifies a change.
 */
export interface AdmissionGate {
  /** True when a request needing `memoryCostBytes` of headroom may start now. */
  canAdmit(memoryCostBytes: number): boolean;
  /** Calls `listener` after every new reading; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  snapshot(): ResourceSnapshot;
}

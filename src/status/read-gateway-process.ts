import { cpuUsage, memoryUsage } from 'node:process';

/** The gateway's own footprint: memory now, CPU since the previous reading. */
export interface GatewayProcessReading {
  pid: number;
  rss_bytes: number;
  heap_used_bytes: number;
  /** Percent of one core since the previous reading; null at the first. */
  cpu_percent: number | null;
}

/** Returns a reader whose CPU figure covers the time since its previous call. */
export function createGatewayProcessReader(now: () => number): () => GatewayProcessReading {
  let previous: { at: number; cpu: NodeJS.CpuUsage } | undefined;
  return () => {
    const at = now();
    const cpu = cpuUsage();
    const elapsedMs = previous === undefined ? 0 : at - previous.at;
    const usedMs = previous === undefined ? 0 : (cpu.user - previous.cpu.user + cpu.system - previous.cpu.system) / 1000;
    previous = { at, cpu };
    const memory = memoryUsage();
    return {
      pid: process.pid,
      rss_bytes: memory.rss,
      heap_used_bytes: memory.heapUsed,
      cpu_percent: elapsedMs > 0 ? Math.round((usedMs / elapsedMs) * 1000) / 10 : null,
    };
  };
}

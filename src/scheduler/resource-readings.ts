import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** cgroup v1 reports "no limit" as a number near 2^63. */
const UNLIMITED_THRESHOLD_BYTES = 2 ** 60;

/** Memory and CPU limits read from the files under `root` (`/` in production, a temp folder in tests). */
export interface ContainerReadings {
  hostAvailableMemoryBytes: number | null;
  cgroupMemoryLimitBytes: number | null;
  cgroupMemoryUsageBytes: number | null;
  /** CPUs allowed by the cgroup quota, or null when unlimited or unreadable. */
  cpuQuota: number | null;
}

/** Reads host memory (`/proc/meminfo`) and the cgroup's memory and CPU limits, v2 first, then v1. */
export function readContainerReadings(root: string): ContainerReadings {
  const paths = readCgroupPaths(root);
  const v2 = (file: string): string | null => readFirst(cgroupCandidates(root, 'sys/fs/cgroup', paths.get('') ?? '/', file));
  const v1 = (controller: string, file: string): string | null =>
    readFirst(cgroupCandidates(root, `sys/fs/cgroup/${controller}`, paths.get(controller) ?? '/', file));
  const memoryMax = v2('memory.max');
  const memoryLimit = memoryMax !== null ? memoryMax : v1('memory', 'memory.limit_in_bytes');
  const memoryUsage = memoryMax !== null ? v2('memory.current') : v1('memory', 'memory.usage_in_bytes');
  const cpuMax = v2('cpu.max');
  return {
    hostAvailableMemoryBytes: parseMemAvailable(readFirst([join(root, 'proc/meminfo')])),
    cgroupMemoryLimitBytes: parseLimitBytes(memoryLimit),
    cgroupMemoryUsageBytes: parseLimitBytes(memoryUsage),
    cpuQuota: cpuMax !== null ? parseCpuMax(cpuMax) : parseCfsQuota(v1('cpu', 'cpu.cfs_quota_us'), v1('cpu', 'cpu.cfs_period_us')),
  };
}

/** `MemAvailable:  123456 kB` → bytes. */
export function parseMemAvailable(meminfo: string | null): number | null {
  const match = meminfo?.match(/^MemAvailable:\s+(\d+)\s*kB/m);
  return match?.[1] === undefined ? null : Number(match[1]) * 1024;
}

/** A byte count, `max` or a v1 "unlimited" value → bytes or null. */
export function parseLimitBytes(text: string | null): number | null {
  if (text === null || text.trim() === 'max') return null;
  const bytes = Number(text.trim());
  return Number.isFinite(bytes) && bytes < UNLIMITED_THRESHOLD_BYTES ? bytes : null;
}

/** `cpu.max`: `"<quota> <period>"` or `"max <period>"` → CPUs. */
export function parseCpuMax(text: string): number | null {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === undefined || quota === 'max' || period === undefined) return null;
  return Number(quota) / Number(period);
}

function parseCfsQuota(quota: string | null, period: string | null): number | null {
  if (quota === null || period === null || Number(quota) <= 0) return null;
  return Number(quota) / Number(period);
}

/** `/proc/self/cgroup` lines `id:controllers:path` → controller → path ('' for the v2 unified line). */
function readCgroupPaths(root: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const line of (readFirst([join(root, 'proc/self/cgroup')]) ?? '').split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers === undefined || path === undefined) continue;
    for (const controller of controllers.split(',')) paths.set(controller, path);
  }
  return paths;
}

/** The process's own cgroup folder first, then the mount's root (what a container sees). */
function cgroupCandidates(root: string, mount: string, cgroupPath: string, file: string): string[] {
  return [join(root, mount, cgroupPath, file), join(root, mount, file)];
}

function readFirst(paths: string[]): string | null {
  for (const path of paths) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      // absent on this kind of host; try the next place
    }
  }
  return null;
}

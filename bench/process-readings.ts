/**
 * What the benchmark reads about a running process from /proc (Linux): CPU time spent so far and
 * resident memory, plus a sampler that keeps the peak RSS while a scenario runs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Reads CPU time in clock ticks; the tick length comes from `getconf CLK_TCK` once. */
export interface CpuClock {
  /** user + system CPU time of `pid` so far, in milliseconds. */
  readCpuMilliseconds(pid: number): number;
}

/** A clock for this machine's tick length (100 Hz nearly everywhere). */
export function createCpuClock(): CpuClock {
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return {
    readCpuMilliseconds(pid) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const userTicks = Number(fields[11]);
      const systemTicks = Number(fields[12]);
      return ((userTicks + systemTicks) * 1000) / ticksPerSecond;
    },
  };
}

/** Resident set size of `pid` in bytes (VmRSS). */
export function readRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (match === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Polls a process's RSS until stopped. */
export interface RssSampler {
  /** Stops polling; the highest RSS seen (including one last reading), in bytes. */
  stop(): number;
}

/** Starts polling `pid`'s RSS every `intervalMs`. */
export function sampleRss(pid: number, intervalMs: number): RssSampler {
  let peak = readRssBytes(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, readRssBytes(pid));
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, readRssBytes(pid));
      return peak;
    },
  };
}

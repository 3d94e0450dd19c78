/**
 * Reduces the interleaved rounds to what BENCHMARKS.md reports: medians per target, and for each
 * proxy (gateway route or bare reference proxy) the median over rounds of its difference (or ratio) to the direct run of the same
 * round, which cancels much of a noisy machine's drift. Pure.
 */
import type { Scenario, TargetKind } from './benchmark-scenarios.ts';
import type { Measurement } from './measure-scenario.ts';

/** Medians over rounds for one scenario and target; times in milliseconds. */
export interface TargetFigures {
  rounds: number;
  requestsPerSecond: number;
  latencyP50: number | null;
  latencyP99: number | null;
  firstTokenP50: number | null;
  /** The proxy's CPU (user + sys) per request served; null for direct runs. */
  cpuMsPerRequest: number | null;
  /** Highest proxy RSS seen in any round, in bytes. */
  peakRssBytes: number;
  /** Requests that failed, summed over rounds, and requests completed. */
  failed: number;
  completed: number;
  /** Simulator CPU over the load generator's whole run (1 = one core busy), median. */
  simulatorCores: number;
  /** Proxy CPU over wall time, median. */
  proxyCores: number;
}

/** A proxied target next to the direct run; medians of per-round differences and ratios. */
export interface Comparison {
  target: TargetKind;
  throughputRatio: number | null;
  addedLatencyP50: number | null;
  addedLatencyP99: number | null;
  addedFirstTokenP50: number | null;
}

export interface ScenarioResult {
  scenario: Scenario;
  figures: Partial<Record<TargetKind, TargetFigures>>;
  comparisons: Comparison[];
}

/** The median, or null for no values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Groups measurements by scenario and summarises them. */
export function aggregateMeasurements(scenarios: readonly Scenario[], measurements: readonly Measurement[]): ScenarioResult[] {
  return scenarios
    .map((scenario) => {
      const ofScenario = measurements.filter((measurement) => measurement.scenarioId === scenario.id);
      const byTarget = groupByTarget(ofScenario);
      const figures: Partial<Record<TargetKind, TargetFigures>> = {};
      for (const [target, runs] of byTarget) figures[target] = summariseTarget(runs);
      const direct = byTarget.get('direct') ?? [];
      const comparisons = [...byTarget]
        .filter(([target]) => target !== 'direct')
        .map(([target, runs]) => compareWithDirect(target, runs, direct));
      return { scenario, figures, comparisons };
    })
    .filter((result) => Object.keys(result.figures).length > 0);
}

function groupByTarget(measurements: readonly Measurement[]): Map<TargetKind, Measurement[]> {
  const groups = new Map<TargetKind, Measurement[]>();
  for (const measurement of measurements) groups.set(measurement.target, [...(groups.get(measurement.target) ?? []), measurement]);
  return groups;
}

function summariseTarget(runs: readonly Measurement[]): TargetFigures {
  const pick = (read: (run: Measurement) => number | null): number | null => median(runs.flatMap((run) => nonNull(read(run))));
  const isProxied = runs.some((run) => run.proxyRequests > 0);
  return {
    rounds: runs.length,
    requestsPerSecond: pick((run) => run.summary.requestsPerSecond) ?? 0,
    latencyP50: pick((run) => run.summary.latencyMs.p50),
    latencyP99: pick((run) => run.summary.latencyMs.p99),
    firstTokenP50: pick((run) => run.summary.timeToFirstTokenMs.p50),
    cpuMsPerRequest: isProxied ? pick((run) => (run.proxyRequests > 0 ? run.proxyCpuMs / run.proxyRequests : null)) : null,
    peakRssBytes: Math.max(...runs.map((run) => run.proxyPeakRssBytes)),
    failed: runs.reduce((sum, run) => sum + run.summary.requests.failed, 0),
    completed: runs.reduce((sum, run) => sum + run.summary.requests.completed, 0),
    simulatorCores: pick((run) => run.simulatorCpuMs / 1000 / wallSeconds(run)) ?? 0,
    proxyCores: pick((run) => run.proxyCpuMs / 1000 / wallSeconds(run)) ?? 0,
  };
}

function wallSeconds(run: Measurement): number {
  return Math.max(run.wallMs / 1000, 0.001);
}

function compareWithDirect(target: TargetKind, runs: readonly Measurement[], direct: readonly Measurement[]): Comparison {
  const paired = runs.flatMap((run) => {
    const partner = direct.find((candidate) => candidate.round === run.round);
    return partner === undefined ? [] : [[run, partner] as const];
  });
  const difference = (read: (run: Measurement) => number | null): number | null =>
    median(paired.flatMap(([run, partner]) => {
      const ours = read(run);
      const theirs = read(partner);
      return ours === null || theirs === null ? [] : [ours - theirs];
    }));
  return {
    target,
    throughputRatio: median(paired.flatMap(([run, partner]) => (partner.summary.requestsPerSecond > 0 ? [run.summary.requestsPerSecond / partner.summary.requestsPerSecond] : []))),
    addedLatencyP50: difference((run) => run.summary.latencyMs.p50),
    addedLatencyP99: difference((run) => run.summary.latencyMs.p99),
    addedFirstTokenP50: difference((run) => run.summary.timeToFirstTokenMs.p50),
  };
}

function nonNull(value: number | null): number[] {
  return value === null ? [] : [value];
}

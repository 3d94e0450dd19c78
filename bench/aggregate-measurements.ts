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
  firstTokenP99: number | null;
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
  /** Time to first token through the proxy over direct, p50 and p99. */
  firstTokenP50Ratio: number | null;
  firstTokenP99Ratio: number | null;
  /** Against the bare reference proxy in the same round: throughput ratio, and CPU per request ratio. */
  throughputVsReference: number | null;
  cpuVsReference: number | null;
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
        .map(([target, runs]) => compareWithDirect(target, runs, direct, byTarget.get('bare-proxy') ?? []));
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
    firstTokenP99: pick((run) => run.summary.timeToFirstTokenMs.p99),
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

function compareWithDirect(target: TargetKind, runs: readonly Measurement[], direct: readonly Measurement[], reference: readonly Measurement[]): Comparison {
  const versusDirect = pairByRound(runs, direct);
  const versusReference = target === 'bare-proxy' ? [] : pairByRound(runs, reference);
  const difference = (read: (run: Measurement) => number | null) => medianOverPairs(versusDirect, read, (ours, theirs) => ours - theirs);
  const ratio = (pairs: ReadonlyArray<readonly [Measurement, Measurement]>, read: (run: Measurement) => number | null) =>
    medianOverPairs(pairs, read, (ours, theirs) => (theirs > 0 ? ours / theirs : null));
  const throughput = (run: Measurement): number => run.summary.requestsPerSecond;
  const cpuPerRequest = (run: Measurement): number | null => (run.proxyRequests > 0 ? run.proxyCpuMs / run.proxyRequests : null);
  return {
    target,
    throughputRatio: ratio(versusDirect, throughput),
    addedLatencyP50: difference((run) => run.summary.latencyMs.p50),
    addedLatencyP99: difference((run) => run.summary.latencyMs.p99),
    addedFirstTokenP50: difference((run) => run.summary.timeToFirstTokenMs.p50),
    firstTokenP50Ratio: ratio(versusDirect, (run) => run.summary.timeToFirstTokenMs.p50),
    firstTokenP99Ratio: ratio(versusDirect, (run) => run.summary.timeToFirstTokenMs.p99),
    throughputVsReference: ratio(versusReference, throughput),
    cpuVsReference: ratio(versusReference, cpuPerRequest),
  };
}

/** Each run with its partner of the same round, which shares the machine's load at that moment. */
function pairByRound(runs: readonly Measurement[], partners: readonly Measurement[]): Array<readonly [Measurement, Measurement]> {
  return runs.flatMap((run) => {
    const partner = partners.find((candidate) => candidate.round === run.round);
    return partner === undefined ? [] : [[run, partner] as const];
  });
}

function medianOverPairs(
  pairs: ReadonlyArray<readonly [Measurement, Measurement]>,
  read: (run: Measurement) => number | null,
  combine: (ours: number, theirs: number) => number | null,
): number | null {
  return median(pairs.flatMap(([run, partner]) => {
    const ours = read(run);
    const theirs = read(partner);
    const combined = ours === null || theirs === null ? null : combine(ours, theirs);
    return combined === null ? [] : [combined];
  }));
}

function nonNull(value: number | null): number[] {
  return value === null ? [] : [value];
}

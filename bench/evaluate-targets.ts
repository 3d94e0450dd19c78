/**
 * The gateway's performance targets (throughput and CPU against the bare reference proxy, streaming time to
 * first token, memory, start-up), checked against a benchmark run. Each target yields one row per gateway route
 * it concerns; a target whose scenario was not run says so rather than passing. Pure.
 */
import type { Scenario, TargetKind } from './benchmark-scenarios.ts';
import { median, type Comparison, type ScenarioResult } from './aggregate-measurements.ts';
import type { MultiNodeResult } from './format-multi-node-report.ts';
import type { FreshMemoryReading } from './measure-fresh-memory.ts';

/** Everything a finished benchmark run measured. */
export interface BenchmarkRun {
  startedAt: string;
  command: string;
  quick: boolean;
  rounds: number;
  scenarios: Scenario[];
  results: ScenarioResult[];
  startupMs: number[];
  /** CPU time of each start-up until ready. */
  startupCpuMs: number[];
  idleRssBytes: number;
  rssAfterRoundBytes: number[];
  /** Peak RSS of memory scenarios, each on a fresh process (what the memory targets are checked on). */
  freshMemory: FreshMemoryReading[];
  /** The `multi-node` scenario (its own simulators and gateways); null when not selected. */
  multiNode: MultiNodeResult | null;
  loadAverageAtEnd: number;
}

/** `reference` rows are not targets: they show what a bare proxy costs on the same machine. */
export type Verdict = 'met' | 'missed' | 'not measured' | 'reference';

export interface TargetCheck {
  target: string;
  limit: string;
  measured: string;
  verdict: Verdict;
}

const mebibyte = 1024 * 1024;
const plainScenarios = ['plain-c1', 'plain-c16', 'plain-c64'];
const gatewayRoutes: ReadonlyArray<{ kind: TargetKind; label: string }> = [
  { kind: 'gateway-openai', label: 'OpenAI route' },
  { kind: 'gateway-native', label: 'native passthrough' },
];
/** "No growth" allows this much drift between the first and last round's idle RSS. */
const growthAllowance = 0.05;

/** One row per target (and route). */
export function evaluateTargets(run: BenchmarkRun): TargetCheck[] {
  const result = (id: string): ScenarioResult | undefined => run.results.find((candidate) => candidate.scenario.id === id);
  const rows: TargetCheck[] = [];
  for (const route of gatewayRoutes) {
    const freshPeak = (id: string): number | null => {
      const reading = run.freshMemory.find((candidate) => candidate.scenarioId === id && candidate.target === route.kind);
      return reading === undefined ? null : reading.peakRssBytes / mebibyte;
    };
    const comparison = (id: string): Comparison | undefined => result(id)?.comparisons.find((candidate) => candidate.target === route.kind);
    const plain = plainScenarios.map((id) => comparison(id));
    const ratio = (value: number): string => `${value.toFixed(2)}×`;
    rows.push(check(`Throughput vs the reference proxy, non-streaming c=1/16/64 (${route.label})`, '≥ 1.0×', plain.map((entry) => entry?.throughputVsReference ?? null), 1, 'min', ratio));
    rows.push(check(`CPU per request vs the reference proxy, non-streaming c=1/16/64 (${route.label})`, '≤ 1.0×', plain.map((entry) => entry?.cpuVsReference ?? null), 1, 'max', ratio));
    rows.push(check(`Throughput vs direct, 256 streams (${route.label})`, '≥ 0.95×', [comparison('stream-c256')?.throughputRatio ?? null], 0.95, 'min', ratio));
    rows.push(check(`Time to first token p50 vs direct, 256 streams (${route.label})`, '≤ 2×', [comparison('stream-c256')?.firstTokenP50Ratio ?? null], 2, 'max', ratio));
    rows.push(check(`Time to first token p99 vs direct, 256 streams (${route.label})`, '≤ 2.5×', [comparison('stream-c256')?.firstTokenP99Ratio ?? null], 2.5, 'max', ratio));
    rows.push(check(`Peak RSS, 256 streams, fresh process (${route.label})`, '≤ 150 MiB', [freshPeak('stream-c256')], 150, 'max', formatMebibytes));
    rows.push(check(`Peak RSS, 1,000 open streams, fresh process (${route.label})`, '≤ 200 MiB', [freshPeak('hold-1000')], 200, 'max', formatMebibytes));
  }
  rows.push(describeReference(run));
  rows.push(check('Idle RSS after start-up', '≤ 80 MiB', [run.idleRssBytes / mebibyte], 80, 'max', formatMebibytes));
  rows.push(checkGrowth(run.rssAfterRoundBytes));
  rows.push(check('Start-up to ready (median of runs)', '≤ 300 ms', [median(run.startupMs)], 300, 'max', (value) => `${Math.round(value)} ms`));
  return rows;
}

function check(target: string, limit: string, values: ReadonlyArray<number | null>, bound: number, kind: 'max' | 'min', format: (value: number) => string): TargetCheck {
  if (values.length === 0 || values.some((value) => value === null)) {
    return { target, limit, measured: 'not measured', verdict: 'not measured' };
  }
  const numbers = values as number[];
  const worst = kind === 'max' ? Math.max(...numbers) : Math.min(...numbers);
  const met = kind === 'max' ? worst <= bound : worst >= bound;
  return { target, limit, measured: numbers.map(format).join(' / '), verdict: met ? 'met' : 'missed' };
}

function describeReference(run: BenchmarkRun): TargetCheck {
  const values = plainScenarios.map((id) => run.results.find((result) => result.scenario.id === id)?.figures['bare-proxy']?.cpuMsPerRequest ?? null);
  const measured = values.every((value) => value === null) ? 'not measured' : values.map((value) => (value === null ? '–' : `${value.toFixed(3)} ms`)).join(' / ');
  return { target: 'Reference: bare Express 5 + undici proxy, CPU per non-streaming request, c=1/16/64', limit: 'the yardstick of the rows above', measured, verdict: 'reference' };
}

function checkGrowth(rssAfterRoundBytes: readonly number[]): TargetCheck {
  const target = 'RSS after each round (no growth)';
  const limit = `last ≤ first + ${growthAllowance * 100} %`;
  const first = rssAfterRoundBytes[0];
  const last = rssAfterRoundBytes.at(-1);
  if (first === undefined || last === undefined || rssAfterRoundBytes.length < 2) return { target, limit, measured: 'not measured', verdict: 'not measured' };
  const measured = rssAfterRoundBytes.map((bytes) => formatMebibytes(bytes / mebibyte)).join(' → ');
  return { target, limit, measured, verdict: last <= first * (1 + growthAllowance) ? 'met' : 'missed' };
}

function formatMebibytes(value: number): string {
  return `${value.toFixed(1)} MiB`;
}

/**
 * One measurement: a scenario against one target, the load coming from a separate
 * `llm-sidecar bench --json` process so its CPU stays out of the gateway's figures. The gateway's
 * CPU time and peak RSS are read from /proc around it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { BenchSummary } from '../src/cli/bench/summarise-results.ts';
import type { Scenario, TargetKind } from './benchmark-scenarios.ts';
import { sampleRss, type CpuClock } from './process-readings.ts';

/** What the benchmark knows about the processes under test. */
export interface BenchTopology {
  /** Path of `dist/cli/main.js`. */
  entry: string;
  model: string;
  simulatorUrl: string;
  simulatorPid: number;
  gatewayUrl: string;
  gatewayPid: number;
  cpuClock: CpuClock;
}

/** The load generator's summary plus what /proc said meanwhile. */
export interface Measurement {
  scenarioId: string;
  target: TargetKind;
  round: number;
  summary: BenchSummary;
  /** Requests the gateway served during the run (warm-up included); 0 for direct runs. */
  gatewayRequests: number;
  gatewayCpuMs: number;
  simulatorCpuMs: number;
  gatewayPeakRssBytes: number;
  /** Wall time of the whole load-generator run, warm-up included: the span the CPU figures cover. */
  wallMs: number;
}

const rssPollMs = 50;
/** Longer than any scenario's longest request (a held stream), so none ends by timing out. */
const requestTimeout = '180s';

/** Runs `scenario` once against `target`. */
export async function measureScenario(topology: BenchTopology, scenario: Scenario, target: TargetKind, round: number): Promise<Measurement> {
  const { cpuClock } = topology;
  const gatewayCpuBefore = cpuClock.readCpuMilliseconds(topology.gatewayPid);
  const simulatorCpuBefore = cpuClock.readCpuMilliseconds(topology.simulatorPid);
  const startedAt = performance.now();
  const rss = sampleRss(topology.gatewayPid, rssPollMs);
  let summary: BenchSummary;
  let gatewayPeakRssBytes: number;
  try {
    summary = await runLoadGenerator(topology.entry, buildBenchArguments(topology, scenario, target));
  } finally {
    gatewayPeakRssBytes = rss.stop();
  }
  const gatewayRequests = target === 'direct' ? 0 : summary.requests.completed + summary.requests.abortedInFlight + summary.load.warmup;
  return {
    scenarioId: scenario.id,
    target,
    round,
    summary,
    gatewayRequests,
    gatewayCpuMs: cpuClock.readCpuMilliseconds(topology.gatewayPid) - gatewayCpuBefore,
    simulatorCpuMs: cpuClock.readCpuMilliseconds(topology.simulatorPid) - simulatorCpuBefore,
    gatewayPeakRssBytes,
    wallMs: performance.now() - startedAt,
  };
}

/** The `llm-sidecar bench` command line for one scenario and target. */
export function buildBenchArguments(topology: BenchTopology, scenario: Scenario, target: TargetKind): string[] {
  const endpoint =
    target === 'direct'
      ? ['--url', topology.simulatorUrl, '--api', 'ollama-chat']
      : target === 'gateway-native'
        ? ['--url', topology.gatewayUrl, '--api', 'ollama-chat']
        : ['--url', `${topology.gatewayUrl}/v1`, '--api', 'openai-chat'];
  const bound = scenario.requests !== null ? ['--requests', String(scenario.requests)] : ['--duration', `${scenario.durationSeconds}s`];
  return [
    ...endpoint,
    '--model',
    topology.model,
    '--concurrency',
    String(scenario.concurrency),
    ...bound,
    '--warmup',
    String(scenario.warmup),
    '--timeout',
    requestTimeout,
    ...(scenario.stream ? ['--stream'] : []),
    '--json',
  ];
}

async function runLoadGenerator(entry: string, benchArguments: string[]): Promise<BenchSummary> {
  const child = spawn(process.execPath, [entry, 'bench', ...benchArguments], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-4096)));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`llm-sidecar bench ${benchArguments.join(' ')} exited with ${code}:\n${stderr}${stdout}`);
  return JSON.parse(stdout) as BenchSummary;
}

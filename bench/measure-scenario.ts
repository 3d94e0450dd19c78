/**
 * One measurement: a scenario against one target, the load coming from a separate
 * `llm-sidecar bench --json` process so its CPU stays out of the gateway's figures. The CPU time and
 * peak RSS of the proxy (the gateway, or the bare reference proxy) are read from /proc around it.
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
  bareProxyUrl: string;
  bareProxyPid: number;
  cpuClock: CpuClock;
}

/**
 * The load generator's summary plus what /proc said meanwhile about the proxy: the process between
 * the load and the simulator (the gateway, or the bare reference proxy; none for direct runs).
 */
export interface Measurement {
  scenarioId: string;
  target: TargetKind;
  round: number;
  summary: BenchSummary;
  /** Requests the proxy served during the run (warm-up included); 0 for direct runs. */
  proxyRequests: number;
  proxyCpuMs: number;
  simulatorCpuMs: number;
  proxyPeakRssBytes: number;
  /** Wall time of the whole load-generator run, warm-up included: the span the CPU figures cover. */
  wallMs: number;
}

const rssPollMs = 50;
/** Longer than any scenario's longest request (a held stream), so none ends by timing out. */
const requestTimeout = '180s';

/** Runs `scenario` once against `target`. */
export async function measureScenario(topology: BenchTopology, scenario: Scenario, target: TargetKind, round: number): Promise<Measurement> {
  const { cpuClock } = topology;
  const proxyPid = target === 'bare-proxy' ? topology.bareProxyPid : topology.gatewayPid;
  const proxyCpuBefore = cpuClock.readCpuMilliseconds(proxyPid);
  const simulatorCpuBefore = cpuClock.readCpuMilliseconds(topology.simulatorPid);
  const startedAt = performance.now();
  const rss = sampleRss(proxyPid, rssPollMs);
  let summary: BenchSummary;
  let proxyPeakRssBytes: number;
  try {
    summary = await runLoadGenerator(topology.entry, buildBenchArguments(topology, scenario, target));
  } finally {
    proxyPeakRssBytes = rss.stop();
  }
  const proxyRequests = target === 'direct' ? 0 : summary.requests.completed + summary.requests.abortedInFlight + summary.load.warmup;
  return {
    scenarioId: scenario.id,
    target,
    round,
    summary,
    proxyRequests,
    proxyCpuMs: cpuClock.readCpuMilliseconds(proxyPid) - proxyCpuBefore,
    simulatorCpuMs: cpuClock.readCpuMilliseconds(topology.simulatorPid) - simulatorCpuBefore,
    proxyPeakRssBytes,
    wallMs: performance.now() - startedAt,
  };
}

/** The `llm-sidecar bench` command line for one scenario and target. */
export function buildBenchArguments(topology: BenchTopology, scenario: Scenario, target: TargetKind): string[] {
  const endpoints: Record<TargetKind, string[]> = {
    direct: ['--url', topology.simulatorUrl, '--api', 'ollama-chat'],
    'bare-proxy': ['--url', topology.bareProxyUrl, '--api', 'ollama-chat'],
    'gateway-native': ['--url', topology.gatewayUrl, '--api', 'ollama-chat'],
    'gateway-openai': ['--url', `${topology.gatewayUrl}/v1`, '--api', 'openai-chat'],
  };
  const endpoint = endpoints[target];
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

/** Runs `llm-sidecar bench …benchArguments --json` in a process of its own and returns its summary. */
export async function runLoadGenerator(entry: string, benchArguments: string[]): Promise<BenchSummary> {
  const child = spawn(process.execPath, [entry, 'bench', ...benchArguments], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-4096)));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`llm-sidecar bench ${benchArguments.join(' ')} exited with ${code}:\n${stderr}${stdout}`);
  return JSON.parse(stdout) as BenchSummary;
}

/**
 * `npm run bench`: llm-sidecar's own overhead against talking to the upstream directly and against a bare proxy.
 * Builds nothing (the npm script builds first); starts the simulator, the compiled gateway and the
 * bare reference proxy as child processes, runs every scenario directly and through each proxy,
 * interleaved, for several rounds, measures the memory scenarios again on fresh processes, runs the
 * multi-node scenario (`multi-node-scenario.ts`), and writes BENCHMARKS.md. Options: `npm run bench -- --help`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { aggregateMeasurements } from './aggregate-measurements.ts';
import { buildScenarios, type Scenario, type TargetKind } from './benchmark-scenarios.ts';
import { describeMachine } from './describe-machine.ts';
import type { BenchmarkRun } from './evaluate-targets.ts';
import { formatBenchmarksReport, keepHandWrittenPart } from './format-benchmarks-report.ts';
import { planPinning, readAllowedCpus } from './cpu-pinning.ts';
import { findFreePort, startGateway, startService, type GatewayLaunch, type ServiceProcess } from './gateway-process.ts';
import { measureFreshMemory } from './measure-fresh-memory.ts';
import { measureScenario, type BenchTopology, type Measurement } from './measure-scenario.ts';
import { MULTI_NODE_SCENARIO_ID, runMultiNodeScenario } from './multi-node-scenario.ts';
import { benchmarkUsage, parseBenchmarkArgs, type BenchmarkOptions } from './parse-benchmark-args.ts';
import { createCpuClock, readRssBytes } from './process-readings.ts';
import { startSimulatorProcess, type SimulatorProcess } from './start-simulator-process.ts';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
const entry = join(repositoryRoot, 'dist', 'cli', 'main.js');
/** The same program unbundled: its CPU profile names each package and source file. */
const sourceEntry = join(repositoryRoot, 'src', 'cli', 'main.ts');
const model = 'llama3.2';
/** Lets start-up allocations and the first health check settle before idle RSS is read. */
const idleSettleMs = 2_000;
const roundSettleMs = 1_000;

async function main(argv: string[]): Promise<number> {
  const options = parseBenchmarkArgs(argv);
  if (options.help) {
    process.stdout.write(benchmarkUsage);
    return 0;
  }
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm run bench does)`);
  const scenarios = selectScenarios(options);
  const gatewayEntry = options.gatewayFromSource ? sourceEntry : entry;
  const pinning = planPinning(readAllowedCpus(), options.pin);
  const machine = describeMachine(pinning);
  const proxyCpus = pinning === null ? {} : { cpus: pinning.proxyCpus };
  const startedAt = new Date().toISOString();
  const workDirectory = mkdtempSync(join(tmpdir(), 'llm-sidecar-bench-'));
  const simulator = await startSimulatorProcess(pinning?.loadCpus);
  let gateway: ServiceProcess | undefined;
  let bareProxy: ServiceProcess | undefined;
  // Ctrl-C or a kill must not leave the gateway behind (the simulator leaves with its IPC channel).
  const abandon = (): void => void Promise.allSettled([gateway?.stop(), bareProxy?.stop(), simulator.stop()]).then(() => process.exit(130));
  process.once('SIGINT', abandon);
  process.once('SIGTERM', abandon);
  try {
    const startupLaunch = { entry: gatewayEntry, workDirectory, upstreamUrl: simulator.url, nodeArguments: options.gatewayNodeArguments.filter((flag) => !flag.startsWith('--cpu-prof')), ...proxyCpus };
    const { startupMs, startupCpuMs } = await measureStartups(startupLaunch, options.startupRuns);
    gateway = await startGateway({ entry: gatewayEntry, workDirectory, upstreamUrl: simulator.url, nodeArguments: options.gatewayNodeArguments, ...proxyCpus });
    bareProxy = await startBareProxy(simulator.url, pinning?.proxyCpus);
    await sleep(idleSettleMs);
    const idleRssBytes = readRssBytes(gateway.pid);
    log(`gateway ready in ${startupMs.map((value) => Math.round(value)).join(', ')} ms (CPU ${startupCpuMs.join(', ')} ms); idle RSS ${formatMebibytes(idleRssBytes)}`);
    const topology: BenchTopology = {
      entry,
      model,
      simulatorUrl: simulator.url,
      simulatorPid: simulator.pid,
      gatewayUrl: gateway.url,
      gatewayPid: gateway.pid,
      bareProxyUrl: bareProxy.url,
      bareProxyPid: bareProxy.pid,
      cpuClock: createCpuClock(),
      ...(pinning === null ? {} : { loadCpus: pinning.loadCpus }),
    };
    const { measurements, rssAfterRoundBytes } = await runRounds(options, scenarios, topology, simulator, [gateway, bareProxy]);
    const upstreamUrl = simulator.url;
    const freshMemory = await measureFreshMemory({
      scenarios,
      targets: options.targets,
      topology,
      startProxy: (target) =>
        target === 'bare-proxy'
          ? startBareProxy(upstreamUrl, pinning?.proxyCpus)
          : startGateway({ entry: gatewayEntry, workDirectory, upstreamUrl, nodeArguments: options.gatewayNodeArguments, ...proxyCpus }),
      configureSimulator: (scenario) => simulator.configure(scenario.simulator),
      idleSettleMs,
      log,
    });
    const multiNode = options.scenarioIds.length === 0 || options.scenarioIds.includes(MULTI_NODE_SCENARIO_ID)
      ? await runMultiNodeScenario({ entry, workDirectory, quick: options.quick, durationSeconds: options.durationSeconds, nodeArguments: options.gatewayNodeArguments, log })
      : null;
    const run: BenchmarkRun = {
      startedAt,
      command: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
      quick: options.quick,
      rounds: options.rounds,
      scenarios,
      results: aggregateMeasurements(scenarios, measurements),
      startupMs,
      startupCpuMs,
      idleRssBytes,
      rssAfterRoundBytes,
      freshMemory,
      multiNode,
      loadAverageAtEnd: loadavg()[0] ?? 0,
    };
    writeOutputs(options, run, machine, measurements);
    return 0;
  } finally {
    await gateway?.stop();
    await bareProxy?.stop();
    await simulator.stop();
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

function selectScenarios(options: BenchmarkOptions): Scenario[] {
  const all = buildScenarios({
    quick: options.quick,
    ...(options.durationSeconds === undefined ? {} : { durationSeconds: options.durationSeconds }),
    ...(options.holdSeconds === undefined ? {} : { holdSeconds: options.holdSeconds }),
  });
  const unknown = options.scenarioIds.filter((id) => id !== MULTI_NODE_SCENARIO_ID && !all.some((scenario) => scenario.id === id));
  if (unknown.length > 0) throw new Error(`--scenarios: unknown ${unknown.join(', ')} (choose from ${[...all.map((scenario) => scenario.id), MULTI_NODE_SCENARIO_ID].join(', ')})`);
  return options.scenarioIds.length === 0 ? all : all.filter((scenario) => options.scenarioIds.includes(scenario.id));
}

/** Spawn → first 200 from `/readyz` (wall and CPU time), each time a fresh gateway stopped right after. */
async function measureStartups(launch: GatewayLaunch, runs: number) {
  const startupMs: number[] = [];
  const startupCpuMs: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const gateway = await startGateway(launch);
    startupMs.push(gateway.startupMs);
    startupCpuMs.push(gateway.startupCpuMs);
    await gateway.stop();
  }
  return { startupMs, startupCpuMs };
}

/** The reference proxy (`bench/bare-proxy.ts`), run from source: it has nothing to compile. */
async function startBareProxy(upstreamUrl: string, cpus: string | undefined): Promise<ServiceProcess> {
  const port = await findFreePort();
  const script = join(repositoryRoot, 'bench', 'bare-proxy.ts');
  return startService({ nodeArguments: [script, '--upstream', upstreamUrl, '--port', String(port)], environment: process.env, port, readyPath: '/healthz', ...(cpus === undefined ? {} : { cpus }) });
}

/** Each round runs every scenario against every target; the target order rotates between rounds. */
async function runRounds(options: BenchmarkOptions, scenarios: readonly Scenario[], topology: BenchTopology, simulator: SimulatorProcess, proxies: ServiceProcess[]) {
  const measurements: Measurement[] = [];
  const rssAfterRoundBytes: number[] = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const scenario of scenarios) {
      await simulator.configure(scenario.simulator);
      for (const target of rotate(options.targets, round - 1)) {
        const measurement = await measureScenario(topology, scenario, target, round).catch((error: unknown) => {
          const exits = proxies.flatMap((proxy) => proxy.describeExit() ?? []);
          throw exits.length > 0 ? new Error(`a process under test died: ${exits.join('\n')}`) : error;
        });
        measurements.push(measurement);
        log(`round ${round}/${options.rounds} ${scenario.id} ${target}: ${describeMeasurement(measurement)}`);
      }
    }
    await sleep(roundSettleMs);
    rssAfterRoundBytes.push(readRssBytes(topology.gatewayPid));
    log(`round ${round} done; gateway RSS ${formatMebibytes(rssAfterRoundBytes.at(-1) ?? 0)}`);
  }
  return { measurements, rssAfterRoundBytes };
}

function rotate(targets: readonly TargetKind[], by: number): TargetKind[] {
  const shift = by % targets.length;
  return [...targets.slice(shift), ...targets.slice(0, shift)];
}

function describeMeasurement(measurement: Measurement): string {
  const { summary } = measurement;
  const parts = [
    `${summary.requestsPerSecond.toFixed(0)} req/s`,
    `p50 ${summary.latencyMs.p50?.toFixed(2)} ms`,
    `p99 ${summary.latencyMs.p99?.toFixed(2)} ms`,
    ...(summary.timeToFirstTokenMs.p50 === null ? [] : [`TTFT p50 ${summary.timeToFirstTokenMs.p50.toFixed(2)} ms`]),
    ...(measurement.proxyRequests > 0 ? [`CPU ${(measurement.proxyCpuMs / measurement.proxyRequests).toFixed(3)} ms/req`, `peak RSS ${formatMebibytes(measurement.proxyPeakRssBytes)}`] : []),
    `${summary.requests.failed} failed`,
  ];
  return parts.join(', ');
}

function writeOutputs(options: BenchmarkOptions, run: BenchmarkRun, machine: ReturnType<typeof describeMachine>, measurements: Measurement[]): void {
  const report = formatBenchmarksReport(run, machine);
  if (options.output === null) process.stdout.write(report);
  else {
    const path = resolve(options.output);
    writeFileSync(path, keepHandWrittenPart(report, existsSync(path) ? readFileSync(path, 'utf8') : undefined));
    log(`wrote ${options.output}`);
  }
  if (options.raw !== null) writeFileSync(options.raw, `${JSON.stringify({ machine, run, measurements }, null, 2)}\n`);
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

function formatMebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  return 1;
});

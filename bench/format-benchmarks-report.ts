/** Renders a benchmark run as BENCHMARKS.md. Pure. */
import type { TargetFigures } from './aggregate-measurements.ts';
import type { TargetKind } from './benchmark-scenarios.ts';
import type { MachineDescription } from './describe-machine.ts';
import { evaluateTargets, type BenchmarkRun } from './evaluate-targets.ts';
import { formatMultiNodeSection } from './format-multi-node-report.ts';

const targetLabels: Record<TargetKind, string> = {
  direct: 'direct: simulator `/api/chat`',
  'bare-proxy': 'reference: bare Express 5 + undici proxy `/api/chat`',
  'gateway-openai': 'gateway `/v1/chat/completions`',
  'gateway-native': 'gateway `/api/chat` (passthrough)',
};
const mebibyte = 1024 * 1024;

/** The whole Markdown document. */
export function formatBenchmarksReport(run: BenchmarkRun, machine: MachineDescription): string {
  return [
    '# Benchmarks',
    '',
    `Fresh run of \`${run.command}\` on ${run.startedAt}${run.quick ? ' (**quick mode: a smoke run, not the reference figures**)' : ''}, ${run.rounds} interleaved rounds.`,
    'Regenerate this file with the same command; `npm run bench -- --help` lists the options.',
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpus} × ${machine.cpuModel} (\`nproc\` = ${machine.cpus})`,
    `- Memory: ${(machine.memoryBytes / 1024 ** 3).toFixed(1)} GiB; kernel ${machine.kernel}`,
    `- Node ${machine.nodeVersion}`,
    `- Pinning: ${machine.pinning} (\`--no-pin\` turns it off)`,
    `- 1-minute load average: ${machine.loadAverageAtStart.toFixed(2)} at the start, ${run.loadAverageAtEnd.toFixed(2)} at the end (other work on the machine shows here; CPU per request is the figure least affected by it)`,
    '',
    '## Performance targets (throughput, CPU, time to first token, memory, start-up)',
    '',
    '| Target | Limit | Measured | Verdict |',
    '| --- | --- | --- | --- |',
    ...evaluateTargets(run).map((row) => `| ${row.target} | ${row.limit} | ${row.measured} | ${row.verdict === 'met' || row.verdict === 'reference' ? row.verdict : `**${row.verdict}**`} |`),
    '',
    '## Scenarios',
    '',
    'Medians over rounds. "Added" figures and ratios are the median over rounds of the proxied run minus (or divided by) the direct run of the same round; "vs reference" divides by the bare reference proxy\'s run of the same round.',
    '"Proxy" is the process between the load generator and the simulator: the gateway, or the bare reference proxy (`bench/bare-proxy.ts`: `express.json()`, undici keep-alive pool, body piped back; no other feature), which shows what this machine charges for the bare minimum.',
    'CPU is the proxy process\'s user + system time from `/proc/<pid>/stat` divided by the requests it served (warm-up included); "cores" is CPU time over the load run\'s wall time.',
    '"Proxy peak RSS" here is the highest over rounds of a process that also served every earlier scenario, so it carries their heap; the memory targets are checked on fresh processes (next section).',
    '',
    ...run.results.flatMap((result) => formatScenario(result)),
    ...formatMultiNodeSection(run.multiNode),
    '## Memory and start-up',
    '',
    ...formatFreshMemory(run),
    `- Idle RSS after start-up: ${formatMebibytes(run.idleRssBytes)}`,
    `- RSS after each round: ${run.rssAfterRoundBytes.map(formatMebibytes).join(' → ')}`,
    `- Start-up to ready (spawn → first 200 from \`/readyz\`), ${run.startupMs.length} runs: ${run.startupMs.map((value) => `${Math.round(value)} ms`).join(', ')}; CPU time of the process until then: ${run.startupCpuMs.map((value) => `${Math.round(value)} ms`).join(', ')}`,
    '',
    '## Method',
    '',
    '- `bench/run-benchmarks.ts` starts the simulator (`bench/simulator-child.ts`) and the bundled gateway (`dist/cli/main.js serve`, built by `npm run build`) as separate processes on 127.0.0.1.',
    '  The gateway runs with limits out of the way: `maxConcurrent` and `maxQueue` 100,000, `maxTotalRequests` 1,000,000, `resources.enabled: false`, `LOG_LEVEL=warn`.',
    '- Load comes from `llm-sidecar bench --json` in a process of its own for every run, so the load generator\'s CPU never counts as the gateway\'s.',
    '- The direct runs use the simulator\'s native `/api/chat`; the gateway\'s OpenAI route translates to that same call, so both sides do the same work upstream.',
    '- The reference proxy is started the same way and measured the same way, so the gateway\'s figures can be read against what a proxy with no features costs here today.',
    '- To profile: `npm run bench -- --scenarios plain-c16 --targets gateway-openai --rounds 1 --output none --gateway-from-source --gateway-node-arg=--cpu-prof --gateway-node-arg=--cpu-prof-dir=prof`, then `node bench/summarise-cpu-profile.ts prof/*.cpuprofile --ours /src/ --skip 3000`.',
    '- Non-streaming scenarios: the simulator answers at once (12 tokens, no pacing). Streaming scenarios: 12 tokens, 5 ms apart. Held streams: one token a second.',
    '- `multi-node` (`bench/multi-node-scenario.ts`): three more simulators, each answering in about 120 ms and running 2 generations of a model at once, and a gateway of its own over 1 of them, then over all 3, with `maxConcurrent: 2` per node; the same closed loop (`llm-sidecar bench`, concurrency 12, OpenAI route) runs against each. Requests per node are the gateway\'s `llm_sidecar_upstream_requests_total{outcome="ok"}`, warm-up included.',
    '- RSS is polled from `/proc/<pid>/status` (VmRSS) every 50 ms during each run; "after each round" is read 1 s after the round ends.',
    '- On a shared machine (see the load average above) absolute times and throughput swing from one run to the next; read the ratios of the same round and CPU per request, and treat a single round\'s verdict as indicative. Instruction counts (valgrind) and the CPU profiles are in the sections that follow the generated ones.',
    '- To profile by package, add `--gateway-from-source` (the gateway runs from `src/cli/main.ts`, so frames name their files); the bundle puts every frame in `dist/chunks/`.',
    '',
  ].join('\n');
}

function formatScenario(result: BenchmarkRun['results'][number]): string[] {
  const rows = (Object.entries(result.figures) as Array<[TargetKind, TargetFigures]>).map(([target, figures]) => {
    const comparison = result.comparisons.find((candidate) => candidate.target === target);
    return [
      targetLabels[target],
      figures.requestsPerSecond.toFixed(0),
      formatRatio(comparison?.throughputRatio ?? null),
      formatRatio(comparison?.throughputVsReference ?? null),
      formatMilliseconds(figures.latencyP50),
      formatMilliseconds(figures.latencyP99),
      formatAdded(comparison?.addedLatencyP50 ?? null),
      formatAdded(comparison?.addedLatencyP99 ?? null),
      result.scenario.stream ? formatMilliseconds(figures.firstTokenP50) : '',
      result.scenario.stream ? formatMilliseconds(figures.firstTokenP99) : '',
      result.scenario.stream ? formatRatio(comparison?.firstTokenP50Ratio ?? null) : '',
      figures.cpuMsPerRequest === null ? '' : figures.cpuMsPerRequest.toFixed(3),
      formatRatio(comparison?.cpuVsReference ?? null),
      target === 'direct' ? '' : figures.proxyCores.toFixed(2),
      figures.simulatorCores.toFixed(2),
      target === 'direct' ? '' : formatMebibytes(figures.peakRssBytes),
      `${figures.failed} / ${figures.completed}`,
    ];
  });
  return [
    `### ${result.scenario.title} (\`${result.scenario.id}\`)`,
    '',
    '| Target | req/s | vs direct | vs reference | p50 ms | p99 ms | added p50 | added p99 | TTFT p50 ms | TTFT p99 ms | TTFT p50 vs direct | proxy CPU ms/req | CPU vs reference | proxy cores | simulator cores | proxy peak RSS | failed / completed |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    '',
  ];
}

function formatFreshMemory(run: BenchmarkRun): string[] {
  if (run.freshMemory.length === 0) return [];
  return [
    'Each row is a process of its own: started, left idle for 2 s, taken through one scenario, stopped.',
    '',
    '| Process | Scenario | idle RSS | peak RSS | failed |',
    '| --- | --- | ---: | ---: | ---: |',
    ...run.freshMemory.map((reading) => `| ${targetLabels[reading.target]} | \`${reading.scenarioId}\` | ${formatMebibytes(reading.idleRssBytes)} | ${formatMebibytes(reading.peakRssBytes)} | ${reading.failed} |`),
    '',
  ];
}

function formatMilliseconds(value: number | null): string {
  return value === null ? '–' : value.toFixed(2);
}

function formatRatio(value: number | null): string {
  return value === null ? '' : `${value.toFixed(2)}×`;
}

function formatAdded(value: number | null): string {
  return value === null ? '' : `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
}

function formatMebibytes(bytes: number): string {
  return `${(bytes / mebibyte).toFixed(1)} MiB`;
}

/** The line after which BENCHMARKS.md is written by hand (profiles, counts, why a target was missed). */
export const HAND_WRITTEN_MARKER = '<!-- Written by hand from here on: the bench keeps it when it rewrites the file. -->';

/** A fresh report followed by the hand-written part of the file it replaces, if that file has one. */
export function keepHandWrittenPart(report: string, previous: string | undefined): string {
  const at = previous?.indexOf(HAND_WRITTEN_MARKER) ?? -1;
  if (previous === undefined || at === -1) return report;
  return `${report.trimEnd()}\n\n${previous.slice(at)}`;
}

/**
 * `node bench/multi-node-scaling.ts [--seconds N] [--concurrency C]`: does throughput scale with
 * upstream nodes? Three simulators (child processes), each pacing its answers like a GPU and running
 * two generations per model at once (OLLAMA_NUM_PARALLEL=2); the gateway (`serve`, a child process)
 * in front of one of them, then of all three, with `maxConcurrent: 2` per node. A closed loop of
 * non-streamed chat requests runs for a while against each; the report is requests per second and
 * the latency percentiles. Prints a Markdown table.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findFreePort, startService, type ServiceProcess } from './gateway-process.ts';
import { startSimulatorProcess, type SimulatorProcess } from './start-simulator-process.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = join(root, 'dist', 'cli', 'main.js');
const entry = existsSync(compiled) ? compiled : join(root, 'src', 'cli', 'main.ts');
/** About 120 ms per answer: 12 tokens at 100 a second. */
const pacing = { tokensPerSecond: 100, tokensPerAnswer: 12, parallelPerModel: 2 };

interface Result {
  nodes: number;
  requests: number;
  failures: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '12' } } });
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const simulators: SimulatorProcess[] = [];
  const folder = mkdtempSync(join(tmpdir(), 'llm-sidecar-multi-node-'));
  try {
    for (let index = 0; index < 3; index += 1) simulators.push(await startSimulatorProcess());
    for (const simulator of simulators) await simulator.configure(pacing);
    const results: Result[] = [];
    for (const count of [1, 3]) {
      const gateway = await startGatewayFor(folder, simulators.slice(0, count).map((simulator) => simulator.url));
      try {
        await runLoad(gateway.url, concurrency, 1);
        results.push({ nodes: count, ...(await runLoad(gateway.url, concurrency, seconds)) });
      } finally {
        await gateway.stop();
      }
    }
    process.stdout.write(formatTable(results, concurrency, seconds));
  } finally {
    await Promise.all(simulators.map((simulator) => simulator.stop()));
    rmSync(folder, { recursive: true, force: true });
  }
}

async function startGatewayFor(folder: string, urls: string[]): Promise<ServiceProcess> {
  const port = await findFreePort();
  const config = {
    listen: { host: '127.0.0.1', port },
    upstreams: urls.map((url, index) => ({ name: `node-${index + 1}`, url })),
    defaults: { maxConcurrent: 2, maxQueue: 100_000 },
    resources: { enabled: false },
    logLevel: 'warn',
  };
  const file = join(folder, `gateway-${port}.json`);
  writeFileSync(file, JSON.stringify(config));
  return startService({ nodeArguments: [entry, 'serve', '--config', file], environment: { PATH: process.env['PATH'] ?? '' }, port, readyPath: '/readyz' });
}

/** `concurrency` workers sending one request after another for `seconds`. */
async function runLoad(url: string, concurrency: number, seconds: number): Promise<Omit<Result, 'nodes'>> {
  const endAt = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let failures = 0;
  const worker = async (id: number): Promise<void> => {
    for (let turn = 0; performance.now() < endAt; turn += 1) {
      const startedAt = performance.now();
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: `worker ${id} turn ${turn}` }] }),
      });
      await response.text();
      if (response.status === 200) latencies.push(performance.now() - startedAt);
      else failures += 1;
    }
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id)));
  const elapsedSeconds = (performance.now() - startedAt) / 1000;
  latencies.sort((left, right) => left - right);
  const percentile = (fraction: number): number => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * fraction))] ?? 0);
  return { requests: latencies.length, failures, requestsPerSecond: Math.round((latencies.length / elapsedSeconds) * 10) / 10, p50Ms: percentile(0.5), p95Ms: percentile(0.95) };
}

function formatTable(results: Result[], concurrency: number, seconds: number): string {
  const lines = [
    `Closed loop, concurrency ${concurrency}, ${seconds} s per run; each node: 12 tokens at 100/s, 2 parallel, maxConcurrent 2.`,
    '',
    '| nodes | requests | failures | req/s | p50 ms | p95 ms |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((result) => `| ${result.nodes} | ${result.requests} | ${result.failures} | ${result.requestsPerSecond} | ${result.p50Ms} | ${result.p95Ms} |`),
    '',
  ];
  return lines.join('\n');
}

await main();

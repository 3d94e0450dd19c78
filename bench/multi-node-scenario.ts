/**
 * The `multi-node` scenario of `npm run bench`: three simulators (processes of their own), the
 * bundled gateway in front of one of them, then of all three, and the same closed-loop load from a
 * separate `llm-sidecar bench` process against each. Each simulator runs a fixed number of
 * generations per model at once and the gateway's `maxConcurrent` matches it, so one node is the
 * bottleneck and three nodes should serve about three times as much.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MultiNodeResult, MultiNodeRun, MultiNodeSetup } from './format-multi-node-report.ts';
import { readRequestsByNode } from './format-multi-node-report.ts';
import { findFreePort, startService, type ServiceProcess } from './gateway-process.ts';
import { runLoadGenerator } from './measure-scenario.ts';
import { startSimulatorProcess, type SimulatorProcess } from './start-simulator-process.ts';

export const MULTI_NODE_SCENARIO_ID = 'multi-node';

export interface MultiNodeLaunch {
  /** Path of `dist/cli/main.js` (the gateway and the load generator). */
  entry: string;
  workDirectory: string;
  quick: boolean;
  /** Overrides the run length (`--duration`). */
  durationSeconds: number | undefined;
  /** Node flags the gateway runs with, as in the other scenarios. */
  nodeArguments: readonly string[];
  log: (line: string) => void;
}

const nodeCounts = [1, 3];
const model = 'llama3.2';

/** Runs the scenario: one gateway per node count, stopped before the next starts. */
export async function runMultiNodeScenario(launch: MultiNodeLaunch): Promise<MultiNodeResult> {
  // About 120 ms per answer, 2 at a time per node: a node serves about 16 requests a second.
  const setup: MultiNodeSetup = { concurrency: 12, durationSeconds: launch.durationSeconds ?? (launch.quick ? 2 : 5), tokensPerSecond: 100, tokensPerAnswer: 12, parallelPerModel: 2 };
  const simulators: SimulatorProcess[] = [];
  try {
    for (let index = 0; index < Math.max(...nodeCounts); index += 1) simulators.push(await startSimulatorProcess());
    for (const simulator of simulators) await simulator.configure({ tokensPerSecond: setup.tokensPerSecond, tokensPerAnswer: setup.tokensPerAnswer, parallelPerModel: setup.parallelPerModel });
    const runs: MultiNodeRun[] = [];
    for (const count of nodeCounts) {
      const gateway = await startGatewayOver(launch, setup, simulators.slice(0, count).map((simulator) => simulator.url));
      try {
        const run = await measureRun(launch.entry, gateway.url, setup, count);
        launch.log(`${MULTI_NODE_SCENARIO_ID} over ${count} node(s): ${run.requestsPerSecond.toFixed(1)} req/s, ${run.failed} failed, per node ${JSON.stringify(run.requestsByNode)}`);
        runs.push(run);
      } finally {
        await gateway.stop();
      }
    }
    return { setup, runs };
  } finally {
    await Promise.all(simulators.map((simulator) => simulator.stop()));
  }
}

async function measureRun(entry: string, gatewayUrl: string, setup: MultiNodeSetup, nodes: number): Promise<MultiNodeRun> {
  const summary = await runLoadGenerator(entry, [
    '--url',
    `${gatewayUrl}/v1`,
    '--api',
    'openai-chat',
    '--model',
    model,
    '--concurrency',
    String(setup.concurrency),
    '--duration',
    `${setup.durationSeconds}s`,
    '--warmup',
    String(setup.concurrency * 2),
    '--json',
  ]);
  const metrics = await (await fetch(`${gatewayUrl}/metrics`)).text();
  return {
    nodes,
    requestsPerSecond: summary.requestsPerSecond,
    latencyP50Ms: summary.latencyMs.p50,
    latencyP99Ms: summary.latencyMs.p99,
    succeeded: summary.requests.succeeded,
    failed: summary.requests.completed - summary.requests.succeeded,
    requestsByNode: readRequestsByNode(metrics),
  };
}

/** The gateway over `urls` (`node-1`, `node-2`, …), each node's slots matching its simulator's parallel limit. */
async function startGatewayOver(launch: MultiNodeLaunch, setup: MultiNodeSetup, urls: string[]): Promise<ServiceProcess> {
  const port = await findFreePort();
  const config = {
    listen: { host: '127.0.0.1', port },
    upstreams: urls.map((url, index) => ({ name: `node-${index + 1}`, url })),
    defaults: { maxConcurrent: setup.parallelPerModel, maxQueue: 100_000 },
    maxTotalRequests: 1_000_000,
    resources: { enabled: false },
    logLevel: 'warn',
    drainTimeoutMs: 2_000,
  };
  const file = join(launch.workDirectory, `gateway-multi-node-${port}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return startService({ nodeArguments: [...launch.nodeArguments, launch.entry, 'serve', '--config', file], environment: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn' }, port, readyPath: '/readyz' });
}

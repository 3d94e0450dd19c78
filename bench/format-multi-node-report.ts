/**
 * The `multi-node` scenario's figures and its section of BENCHMARKS.md: the gateway over one node
 * and over three, each node a bottleneck of its own (a fixed per-model parallel limit), so the ratio
 * of the two throughputs shows whether adding nodes adds capacity. Pure.
 */

/** Pacing and limits every node of the scenario runs with. */
export interface MultiNodeSetup {
  concurrency: number;
  durationSeconds: number;
  tokensPerSecond: number;
  tokensPerAnswer: number;
  /** The simulator's own limit per model (`OLLAMA_NUM_PARALLEL`), matched by the gateway's `maxConcurrent`. */
  parallelPerModel: number;
}

/** One run of the load against the gateway over `nodes` nodes. */
export interface MultiNodeRun {
  nodes: number;
  requestsPerSecond: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  succeeded: number;
  failed: number;
  /** Requests each node answered (the gateway's `llm_sidecar_upstream_requests_total{outcome="ok"}`), warm-up included. */
  requestsByNode: Record<string, number>;
}

export interface MultiNodeResult {
  setup: MultiNodeSetup;
  runs: MultiNodeRun[];
}

/** The upstream request counter's "ok" samples per node, from a Prometheus text exposition. */
export function readRequestsByNode(metricsText: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of metricsText.matchAll(/^llm_sidecar_upstream_requests_total\{upstream="([^"]+)",outcome="ok"\} (\d+(?:\.\d+)?)$/gm)) {
    counts[match[1]!] = Number(match[2]);
  }
  return counts;
}

/** Throughput over the most nodes divided by throughput over one node; null without both runs. */
export function scalingRatio(result: MultiNodeResult): number | null {
  const single = result.runs.find((run) => run.nodes === 1);
  const most = result.runs.toSorted((left, right) => right.nodes - left.nodes)[0];
  if (single === undefined || most === undefined || most === single || single.requestsPerSecond === 0) return null;
  return most.requestsPerSecond / single.requestsPerSecond;
}

/** The report's section; empty when the scenario was not run. */
export function formatMultiNodeSection(result: MultiNodeResult | null): string[] {
  if (result === null) return [];
  const { setup } = result;
  const ratio = scalingRatio(result);
  const answerMs = setup.tokensPerSecond === 0 ? 0 : Math.round((setup.tokensPerAnswer / setup.tokensPerSecond) * 1000);
  const formatNodes = (counts: Record<string, number>): string =>
    Object.entries(counts)
      .map(([node, count]) => `${node}: ${count}`)
      .join(', ');
  return [
    '## Several nodes (`multi-node`)',
    '',
    `The gateway \`/v1/chat/completions\` over 1 node, then over 3, closed loop at concurrency ${setup.concurrency} for ${setup.durationSeconds} s each. Every node is a simulator answering in about ${answerMs} ms (${setup.tokensPerAnswer} tokens at ${setup.tokensPerSecond}/s) and running ${setup.parallelPerModel} generations of a model at once, with \`maxConcurrent: ${setup.parallelPerModel}\` per node, so one node is the bottleneck.`,
    '',
    '| nodes | req/s | p50 ms | p99 ms | succeeded | failed | requests per node |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...result.runs.map((run) => `| ${run.nodes} | ${run.requestsPerSecond.toFixed(1)} | ${formatMs(run.latencyP50Ms)} | ${formatMs(run.latencyP99Ms)} | ${run.succeeded} | ${run.failed} | ${formatNodes(run.requestsByNode)} |`),
    '',
    `Throughput with 3 nodes over 1 node: ${ratio === null ? '–' : `**${ratio.toFixed(2)}×**`} (3.00× would be perfect scaling).`,
    '',
  ];
}

const formatMs = (value: number | null): string => (value === null ? '–' : value.toFixed(1));

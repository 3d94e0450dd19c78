import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatMultiNodeSection, readRequestsByNode, scalingRatio, type MultiNodeResult } from '../../bench/format-multi-node-report.ts';

const setup = { concurrency: 12, durationSeconds: 5, tokensPerSecond: 100, tokensPerAnswer: 12, parallelPerModel: 2 };
const run = (nodes: number, requestsPerSecond: number, requestsByNode: Record<string, number>) => ({ nodes, requestsPerSecond, latencyP50Ms: 100, latencyP99Ms: 200, succeeded: 10, failed: 0, requestsByNode });

describe('the multi-node scenario report', () => {
  test('requests per node come from the "ok" samples of the upstream request counter only', () => {
    const metrics = [
      '# TYPE llm_sidecar_upstream_requests_total counter',
      'llm_sidecar_upstream_requests_total{upstream="node-1",outcome="ok"} 40',
      'llm_sidecar_upstream_requests_total{upstream="node-1",outcome="upstream_busy"} 3',
      'llm_sidecar_upstream_requests_total{upstream="node-2",outcome="ok"} 38',
      'llm_sidecar_upstream_failovers_total{upstream="node-1"} 1',
    ].join('\n');
    assert.deepEqual(readRequestsByNode(metrics), { 'node-1': 40, 'node-2': 38 });
  });

  test('the ratio is the most nodes over one node, and absent without both runs', () => {
    const result: MultiNodeResult = { setup, runs: [run(1, 12, { 'node-1': 60 }), run(3, 33, { 'node-1': 55, 'node-2': 56, 'node-3': 54 })] };
    assert.equal(scalingRatio(result), 33 / 12);
    assert.equal(scalingRatio({ setup, runs: [run(1, 12, {})] }), null);
    assert.equal(scalingRatio({ setup, runs: [run(1, 0, {}), run(3, 10, {})] }), null);
  });

  test('the section has one row per node count with the counts per node, and the ratio', () => {
    const section = formatMultiNodeSection({ setup, runs: [run(1, 12, { 'node-1': 60 }), run(3, 36, { 'node-1': 55, 'node-2': 56, 'node-3': 54 })] }).join('\n');
    assert.match(section, /^## Several nodes \(`multi-node`\)/);
    assert.match(section, /about 120 ms \(12 tokens at 100\/s\)/);
    assert.match(section, /\| 1 \| 12\.0 \| 100\.0 \| 200\.0 \| 10 \| 0 \| node-1: 60 \|/);
    assert.match(section, /\| 3 \| 36\.0 \| .* \| node-1: 55, node-2: 56, node-3: 54 \|/);
    assert.match(section, /\*\*3\.00×\*\*/);
    assert.deepEqual(formatMultiNodeSection(null), []);
  });
});

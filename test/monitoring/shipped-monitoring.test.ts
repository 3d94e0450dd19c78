import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { postJson } from '../sidecar/read-stream.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const prometheusDirectory = join(root, 'examples', 'prometheus');
const dashboardPath = join(root, 'examples', 'grafana', 'llm-sidecar-dashboard.json');
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
// Outside CI a missing promtool skips with a reason; under CI=true the test runs and fails.
const skip = !hasPromtool && process.env['CI'] !== 'true' ? 'promtool is missing (apt-get install prometheus); under CI=true this fails' : false;

interface Panel {
  title: string;
  type: string;
  datasource?: { uid?: string };
  targets?: Array<{ expr: string }>;
}

/** Every query of the dashboard, with Grafana's variables replaced by what Prometheus would receive. */
async function dashboardExpressions(): Promise<Array<{ panel: string; expr: string }>> {
  const dashboard = JSON.parse(await readFile(dashboardPath, 'utf8')) as { panels: Panel[] };
  return dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      panel: panel.title,
      expr: target.expr.replaceAll('$__rate_interval', '5m').replaceAll('$__range', '1h').replaceAll('$model', '.*').replaceAll('$upstream', '.*'),
    })),
  );
}

/** Every expression of the shipped rule files. */
async function ruleExpressions(): Promise<string[]> {
  const files = ['recording-rules.yml', 'alerts.yml'];
  const documents = await Promise.all(files.map(async (file) => parseYaml(await readFile(join(prometheusDirectory, file), 'utf8')) as { groups: Array<{ rules: Array<{ expr: string }> }> }));
  return documents.flatMap((document) => document.groups.flatMap((group) => group.rules.map((rule) => rule.expr)));
}

/** The gateway's metric names an expression reads (a histogram's `_bucket`, `_sum`, `_count` as the histogram). */
function metricNamesIn(expr: string, histograms: Set<string>): string[] {
  return [...expr.matchAll(/\bllm_sidecar_[a-z0-9_]+/g)].map(([name]) => {
    const base = name.replace(/_(bucket|sum|count)$/, '');
    return histograms.has(base) ? base : name;
  });
}

const promtool = (...args: string[]) => run('promtool', args, { cwd: prometheusDirectory }).catch((error: { code: number; stdout: string; stderr: string }) => assert.fail(`promtool ${args.join(' ')} failed (${error.code}):\n${error.stdout}${error.stderr}`));

describe('the shipped Prometheus rules and Grafana dashboard', { skip }, () => {
  let stack: TestStack;
  let exported: Set<string>;
  let histograms: Set<string>;
  let work: string;

  before(async () => {
    assert.ok(hasPromtool, 'promtool is required: .ci/run installs the Debian package prometheus');
    work = await mkdtemp(join(tmpdir(), 'llm-sidecar-rules-'));
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'silent' } });
    assert.equal((await postJson(`${stack.url}/v1/llm/llama3.2`, { prompt: 'hi', stream: true })).status, 200);
    const exposition = await (await fetch(`${stack.url}/metrics`)).text();
    const families = [...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)];
    exported = new Set(families.map(([, name]) => name!));
    histograms = new Set(families.filter(([, , type]) => type === 'histogram').map(([, name]) => name!));
    // Metrics registered in code but without a family yet in this scrape count as exported too.
    const source = await readFile(join(root, 'src', 'observability', 'metrics.ts'), 'utf8');
    for (const [, name] of source.matchAll(/\$\{PREFIX\}([a-z0-9_]+)/g)) exported.add(`llm_sidecar_${name}`);
    for (const [, name] of source.matchAll(/gaugeOf\('([a-z0-9_]+)'/g)) exported.add(`llm_sidecar_${name}`);
  });
  after(async () => {
    await stack?.close();
    await rm(work, { recursive: true, force: true });
  });

  test('promtool check rules passes on recording-rules.yml and alerts.yml', async () => {
    const { stdout } = await promtool('check', 'rules', 'recording-rules.yml', 'alerts.yml');
    assert.match(stdout, /SUCCESS: 9 rules found/);
    assert.match(stdout, /SUCCESS: 5 rules found/);
  });

  test('promtool test rules: "upstream down", "queue wait" and "capacity" fire on synthetic series, and only there', async () => {
    const { stdout } = await promtool('test', 'rules', 'alerts.test.yml');
    assert.match(stdout, /SUCCESS/);
  });

  test('every dashboard expression parses (as a recording rule checked by promtool)', async () => {
    const expressions = await dashboardExpressions();
    assert.ok(expressions.length >= 20, `only ${expressions.length} expressions`);
    const rules = { groups: [{ name: 'dashboard', rules: expressions.map(({ expr }, index) => ({ record: `dashboard:expression_${index}`, expr })) }] };
    const file = join(work, 'dashboard-rules.yml');
    await writeFile(file, JSON.stringify(rules));
    const { stdout } = await promtool('check', 'rules', file);
    assert.match(stdout, new RegExp(`SUCCESS: ${expressions.length} rules found`));
  });

  test('the dashboard and the rules name only metrics the gateway exports', async () => {
    const used = [...(await dashboardExpressions()).map(({ expr }) => expr), ...(await ruleExpressions())].flatMap((expr) => metricNamesIn(expr, histograms));
    assert.ok(used.length > 30);
    assert.deepEqual([...new Set(used)].filter((name) => !exported.has(name)), []);
  });

  test('the dashboard asks for its data source and every panel uses it', async () => {
    const dashboard = JSON.parse(await readFile(dashboardPath, 'utf8')) as { panels: Panel[]; templating: { list: Array<{ name: string; type: string; query: unknown }> } };
    assert.deepEqual(dashboard.templating.list.find((variable) => variable.type === 'datasource'), { ...dashboard.templating.list.find((variable) => variable.type === 'datasource'), name: 'datasource', query: 'prometheus' });
    const withQueries = dashboard.panels.filter((panel) => panel.targets !== undefined);
    assert.deepEqual(withQueries.filter((panel) => panel.datasource?.uid !== '${datasource}').map((panel) => panel.title), []);
    const titles = withQueries.map((panel) => panel.title.toLowerCase());
    for (const topic of ['requests by status', 'queue depth', 'queue wait', 'time to first token', 'request duration', 'tokens/s', 'rejections', 'upstream health', 'per key']) {
      assert.ok(titles.some((title) => title.includes(topic)), `a panel on ${topic}`);
    }
  });
});

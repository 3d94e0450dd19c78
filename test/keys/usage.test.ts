import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { runKeysCommand } from '../../src/cli/run-keys-command.ts';
import { runUsageCommand } from '../../src/cli/run-usage-command.ts';
import { buildConfig } from '../../src/config/load-config.ts';
import { buildKeyRing } from '../../src/keys/build-key-ring.ts';
import { startStack, type StackOptions, type TestStack } from '../support/start-gateway.ts';
import { capture } from '../support/capture-output.ts';

const TEAM_A = 'sk-team-a';
const TEAM_B = 'sk-team-b';
const ADMIN = 'sk-ops';

interface UsageBody {
  data: Array<Record<string, string | number>>;
  error?: { code: string };
}

describe('usage per key', () => {
  let folder: string;
  let stack: TestStack;
  const options = (): StackOptions => ({
    requireSimulator: true,
    config: {
      usageDb: join(folder, 'usage.db'),
      apiKeys: [
        { name: 'team-a', key: TEAM_A, routes: ['openai', 'sidecar'] },
        { name: 'team-b', key: TEAM_B, routes: ['openai'], dailyTokens: 10 },
        { name: 'ops', key: ADMIN, routes: ['admin'] },
      ],
    },
  });
  const post = async (key: string, path: string, body: unknown): Promise<{ status: number; body: { error?: { code: string; type: string }; usage?: { total_tokens: number } }; headers: Headers }> => {
    const response = await fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as never, headers: response.headers };
  };
  const usage = async (key: string, query: string): Promise<{ status: number; body: UsageBody }> => {
    const response = await fetch(`${stack.url}/v1/usage?${query}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: response.status, body: (await response.json()) as UsageBody };
  };
  const chat = { model: 'llama3.2', messages: [{ role: 'user', content: 'Hello there' }] };

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'llm-sidecar-usage-'));
    stack = await startStack(options());
  });
  after(async () => {
    await stack.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('counts requests and tokens per key and model; /v1/usage groups them; a key sees only its own', async () => {
    const first = await post(TEAM_A, '/v1/chat/completions', chat);
    const second = await post(TEAM_A, '/v1/llm/llama3.2', { prompt: 'Hi' });
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    await post(TEAM_A, '/v1/embeddings', { model: 'nomic-embed-text', input: 'one' });
    const byKeyModel = await usage(ADMIN, 'group_by=key,model');
    assert.equal(byKeyModel.status, 200);
    const teamA = byKeyModel.body.data.filter((row) => row['key'] === 'team-a');
    assert.deepEqual(teamA.map((row) => [row['model'], row['requests']]), [['llama3.2:latest', 2], ['nomic-embed-text:latest', 1]]);
    assert.ok(Number(teamA[0]!['completion_tokens']) > 0);
    assert.equal(teamA[0]!['total_tokens'], Number(teamA[0]!['prompt_tokens']) + Number(teamA[0]!['completion_tokens']));
    const own = await usage(TEAM_A, 'group_by=model&model=llama3.2');
    assert.deepEqual(own.body.data.map((row) => row['model']), ['llama3.2:latest']);
    assert.equal((await usage(TEAM_A, 'key=team-b')).status, 403, "another key's usage needs admin");
    assert.equal((await usage(TEAM_A, 'key=team-a')).status, 200);
    assert.equal((await usage(ADMIN, 'group_by=week')).status, 400);
    assert.equal((await usage(ADMIN, 'from=2026-12-02&to=2026-12-01')).status, 400);
    const byDay = await usage(TEAM_A, '');
    assert.equal(byDay.body.data.length, 1);
    assert.equal(byDay.body.data[0]!['requests'], 3);
  });

  test('an answer cut short counts what was generated before the cut', async () => {
    stack.sim!.injectFault({ kind: 'cut', route: '/api/chat', afterTokens: 3 });
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEAM_A}` },
      body: JSON.stringify({ ...chat, model: 'qwen3', stream: true }),
    });
    assert.match(await response.text(), /data: \{"error"/);
    const cut = await usage(ADMIN, 'key=team-a&model=qwen3&group_by=model');
    assert.deepEqual(cut.body.data.map((row) => [row['requests'], row['prompt_tokens'], row['completion_tokens']]), [[1, 0, 3]]);
  });

  test('metrics by key name', async () => {
    const metrics = await (await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
    assert.match(metrics, /llm_sidecar_key_requests_total\{key="team-a",model="llama3\.2:latest",status="200"\} 2/);
    assert.match(metrics, /llm_sidecar_key_tokens_total\{key="team-a",model="llama3\.2:latest",kind="completion"\} [1-9]/);
    assert.match(metrics, /llm_sidecar_key_requests_total\{key="ops",model="none",status="200"\}/);
  });

  test('a daily budget is 429 insufficient_quota once used, and stays used across a restart (SQLite file)', async () => {
    const first = await post(TEAM_B, '/v1/chat/completions', chat);
    assert.equal(first.status, 200);
    assert.ok(first.body.usage!.total_tokens >= 10, 'one answer uses the budget');
    const refused = await post(TEAM_B, '/v1/chat/completions', chat);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error?.code, 'insufficient_quota');
    assert.equal(refused.body.error?.type, 'insufficient_quota');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}: the time to midnight, at most retryAfterCapSeconds`);
    await stack.close();
    stack = await startStack(options());
    assert.equal((await post(TEAM_B, '/v1/chat/completions', chat)).body.error?.code, 'insufficient_quota', 'the restarted gateway read the file');
    assert.equal((await post(TEAM_A, '/v1/chat/completions', chat)).status, 200, 'other keys are not affected');
    const teamA = await usage(ADMIN, 'key=team-a');
    assert.equal(teamA.body.data[0]!['requests'], 5, 'counts from before the restart are kept');
  });

  test('llm-sidecar usage prints the table', async () => {
    const stdout = capture();
    const stderr = capture();
    const code = await runUsageCommand(['--url', stack.url, '--group-by', 'key,model'], { stdout, stderr, env: { LLM_SIDECAR_API_KEY: ADMIN } });
    assert.equal(code, 0, stderr.text());
    const lines = stdout.text().trim().split('\n');
    assert.match(lines[1]!, /^key\s+model\s+requests\s+prompt\s+completion\s+total$/);
    assert.ok(lines.some((line) => /^team-a\s+llama3\.2:latest\s+3\s+\d+\s+\d+\s+\d+$/.test(line)), stdout.text());
    const refused = capture();
    assert.equal(await runUsageCommand(['--url', stack.url, '--key', 'team-b'], { stdout: capture(), stderr: refused, env: { LLM_SIDECAR_API_KEY: TEAM_A } }), 1);
    assert.match(refused.text(), /403/);
  });
});

describe('llm-sidecar keys', () => {
  test('hash prints the SHA-256 of the key on stdin, which a sha256 entry matches', async () => {
    const stdin = new PassThrough();
    stdin.end('sk-typed-key\n');
    const stdout = capture();
    assert.equal(await runKeysCommand(['hash'], { stdin, stdout, stderr: capture() }), 0);
    const digest = stdout.text().trim();
    assert.match(digest, /^[0-9a-f]{64}$/);
    const ring = buildKeyRing(buildConfig({ apiKeys: [{ name: 'typed', sha256: digest }] }));
    assert.equal(ring.find('sk-typed-key')?.name, 'typed');
  });

  test('new --name prints a random key and an entry holding only its digest', async () => {
    const stdout = capture();
    assert.equal(await runKeysCommand(['new', '--name', 'team-c'], { stdin: new PassThrough(), stdout, stderr: capture() }), 0);
    const key = /^key: (sk-\S+)$/m.exec(stdout.text())![1]!;
    assert.ok(key.length >= 30);
    const digest = /sha256: ([0-9a-f]{64})/.exec(stdout.text())![1]!;
    assert.ok(!stdout.text().split('# for apiKeysFile')[1]!.includes(key), 'the entry holds no secret');
    assert.equal(buildKeyRing(buildConfig({ apiKeys: [{ name: 'team-c', sha256: digest }] })).find(key)?.name, 'team-c');
    assert.equal(await runKeysCommand(['new'], { stdin: new PassThrough(), stdout: capture(), stderr: capture() }), 2);
  });
});

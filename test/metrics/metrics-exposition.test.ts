import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
// Outside CI a missing promtool skips with a reason; under CI=true the test runs and fails.
const skip = !hasPromtool && process.env['CI'] !== 'true' ? 'promtool is missing (apt-get install prometheus); under CI=true this fails' : false;

/** Pipes the exposition into `promtool check metrics`; resolves with its exit code and output. */
function checkWithPromtool(exposition: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(exposition);
  });
}

describe('/metrics after traffic passes promtool', { skip }, () => {
  let stack: TestStack;
  before(async () => {
    assert.ok(hasPromtool, 'promtool is required: .ci/run installs the Debian package prometheus');
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'silent', models: { gemma3: { maxConcurrent: 1, maxQueue: 0 } }, pullAllowed: ['llama3.2*'] } });
    // What app.ts should do once; harmless if it already does.
    stack.gateway.services.metrics.trackScheduler(() => stack.gateway.services.scheduler.snapshot());
  });
  after(() => stack?.close());

  test('a mix of successes, errors, streams, rejections and a pull gives a clean exposition', async () => {
    const post = async (path: string, body: unknown): Promise<number> => {
      const response = await fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await response.arrayBuffer();
      return response.status;
    };
    const chat = { model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] };
    assert.equal(await post('/v1/chat/completions', chat), 200);
    assert.equal(await post('/v1/chat/completions', { ...chat, stream: true }), 200);
    assert.equal(await post('/v1/chat/completions', { ...chat, model: 'no-such-model' }), 404);
    assert.equal(await post('/v1/chat/completions', { ...chat, temperature: 'hot' }), 400);
    assert.equal(await post('/v1/embeddings', { model: 'nomic-embed-text', input: 'x' }), 200);
    assert.equal(await post('/v1/llm/llama3.2', { prompt: 'hi', stream: true }), 200);
    assert.equal(await post('/v1/llm/llama3.2/pull', {}), 200);
    stack.sim!.injectFault({ kind: 'status500', route: '/api/chat' });
    assert.equal(await post('/v1/chat/completions', chat), 502);
    stack.sim!.gate.hold();
    const holding = post('/v1/chat/completions', { ...chat, model: 'gemma3' });
    await stack.sim!.gate.whenWaiting(1);
    assert.equal(await post('/v1/chat/completions', { ...chat, model: 'gemma3' }), 429);
    const scrapeWhileBusy = await (await fetch(`${stack.url}/metrics`)).text();
    stack.sim!.gate.release();
    assert.equal(await holding, 200);

    const exposition = await (await fetch(`${stack.url}/metrics`)).text();
    assert.match(scrapeWhileBusy, /^llm_sidecar_active_requests\{model="gemma3:latest"\} 1$/m);
    assert.match(exposition, /^llm_sidecar_rejected_requests_total\{model="gemma3:latest",reason="queue_full"\} 1$/m);
    assert.match(exposition, /^llm_sidecar_tokens_total\{model="llama3\.2:latest",kind="completion"\} \d+$/m);
    assert.match(exposition, /^llm_sidecar_request_duration_seconds_bucket\{le="600",model="llama3\.2:latest",route="\/v1\/chat\/completions",status="2xx"\} \d+$/m);
    assert.match(exposition, /^llm_sidecar_admission_paused 0$/m);
    assert.doesNotMatch(exposition, /no-such-model/, 'an unknown model creates no series');
    for (const body of [scrapeWhileBusy, exposition]) {
      const result = await checkWithPromtool(body);
      assert.equal(result.output.trim(), '', result.output);
      assert.equal(result.code, 0);
    }
  });

  test('promtool is a real check: the misnamed default gauge would fail it', async () => {
    const result = await checkWithPromtool('# HELP nodejs_active_handles_total Total number of active handles.\n# TYPE nodejs_active_handles_total gauge\nnodejs_active_handles_total 3\n');
    assert.notEqual(result.code, 0);
    assert.match(result.output, /_total/);
  });
});

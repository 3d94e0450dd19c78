import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';

const TEAM = 'sk-team-a-secret';
const ADMIN = 'sk-admin-secret';
const NATIVE = 'sk-native-only';

async function call(stack: TestStack, path: string, key: string | undefined, init: RequestInit = {}, header = 'authorization'): Promise<{ status: number; body: { error?: { type: string; code: string; message: string } } & Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) };
  if (key !== undefined) headers[header] = header === 'authorization' ? `Bearer ${key}` : key;
  const response = await fetch(`${stack.url}${path}`, { ...init, headers });
  return { status: response.status, body: (await response.json()) as never };
}

const chat = (model: string): RequestInit => ({ method: 'POST', body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });

describe('key scopes', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      apiKey: TEAM,
      config: {
        aliases: { 'gpt-4o-mini': 'llama3.2', 'team-b-model': 'qwen3' },
        apiKeys: [
          { name: 'team-a', key: TEAM, models: ['llama3.2', 'nomic-*'], routes: ['openai'] },
          { name: 'native-team', key: NATIVE, routes: ['native'], models: ['llama3.2', 'qwen3*'] },
          { name: 'ops', key: ADMIN },
        ],
      },
    });
  });
  after(() => stack.close());

  test('/v1/models lists only the models (and aliases) in scope', async () => {
    const listed = await stack.openai.models.list();
    assert.deepEqual(listed.data.map((model) => model.id).sort(), ['gpt-4o-mini', 'llama3.2:latest', 'nomic-embed-text:latest']);
    const all = await call(stack, '/v1/models', ADMIN);
    assert.ok((all.body['data'] as unknown[]).length > 3);
  });

  test('a model out of scope is the same 404 as one that does not exist, counted with reason scope', async () => {
    const outOfScope = await call(stack, '/v1/chat/completions', TEAM, chat('qwen3'));
    const missing = await call(stack, '/v1/chat/completions', TEAM, chat('no-such-model'));
    assert.equal(outOfScope.status, 404);
    assert.equal(missing.status, 404);
    assert.deepEqual(outOfScope.body.error, { ...missing.body.error, message: missing.body.error!.message.replace('no-such-model', 'qwen3') });
    assert.equal((await call(stack, '/v1/chat/completions', TEAM, chat('team-b-model'))).status, 404, 'an alias of an out-of-scope model');
    assert.equal((await call(stack, '/v1/models/qwen3', TEAM)).status, 404);
    assert.equal((await call(stack, '/v1/models/llama3.2', TEAM)).status, 200);
    assert.equal((await call(stack, '/v1/chat/completions', TEAM, chat('gpt-4o-mini'))).status, 200);
    const metrics = await (await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
    assert.match(metrics, /llm_sidecar_rejected_requests_total\{model="qwen3:latest",reason="scope"\} 2/);
  });

  test('a route class outside the key scopes is 403 permission_error naming the scope', async () => {
    const cases: Array<[string, RequestInit, string]> = [
      ['/v1/status', {}, 'admin'],
      ['/metrics', {}, 'admin'],
      ['/api/chat', chat('llama3.2'), 'native'],
      ['/api/tags', {}, 'native'],
      ['/v1/llm/llama3.2', { method: 'POST', body: JSON.stringify({ prompt: 'hi' }) }, 'sidecar'],
      ['/v1/llm/llama3.2/pull', { method: 'POST', body: '{}' }, 'admin'],
    ];
    for (const [path, init, scope] of cases) {
      const answer = await call(stack, path, TEAM, init);
      assert.equal(answer.status, 403, path);
      // Ollama's native routes answer in Ollama's shape, `{"error": "text"}`.
      const error = answer.body.error as unknown;
      if (path.startsWith('/api/')) {
        assert.ok(typeof error === 'string' && error.includes(`\`${scope}\``), `${path}: ${String(error)}`);
        continue;
      }
      assert.equal(answer.body.error?.type, 'permission_error');
      assert.equal(answer.body.error?.code, 'insufficient_permissions');
      assert.ok(answer.body.error?.message.includes(`\`${scope}\``), `${path}: ${answer.body.error?.message}`);
    }
    assert.equal((await call(stack, '/v1/chat/completions', NATIVE, chat('llama3.2'))).status, 403);
    assert.equal((await call(stack, '/api/chat', NATIVE, { ...chat('llama3.2'), body: JSON.stringify({ model: 'llama3.2', stream: false, messages: [{ role: 'user', content: 'hi' }] }) })).status, 200);
    assert.equal((await call(stack, '/api/pull', NATIVE, { method: 'POST', body: JSON.stringify({ model: 'x' }) })).status, 403);
    const status = await call(stack, '/v1/status', ADMIN);
    assert.equal(status.status, 200);
    const keys = status.body['keys'] as Array<{ name: string; routes: string[]; models: string[] | null }>;
    assert.deepEqual(keys.map((key) => [key.name, key.routes, key.models]), [['team-a', ['openai'], ['llama3.2', 'nomic-*']], ['native-team', ['native'], ['llama3.2', 'qwen3*']], ['ops', ['openai', 'native', 'sidecar', 'admin'], null]]);
    assert.ok(!JSON.stringify(status.body).includes(TEAM), 'status shows names, never keys');
  });

  test("Ollama's own model lists show a limited key only its models", async () => {
    const tags = await call(stack, '/api/tags', NATIVE);
    assert.deepEqual((tags.body['models'] as Array<{ name: string; details: unknown }>).map((model) => model.name).sort(), ['llama3.2:latest', 'qwen3:latest']);
    assert.ok((tags.body['models'] as Array<{ details?: unknown }>)[0]!.details !== undefined, "Ollama's fields are kept");
    assert.equal((await call(stack, '/api/ps', NATIVE)).status, 200);
    const show = (key: string, model: string) => call(stack, '/api/show', key, { method: 'POST', body: JSON.stringify({ model }) });
    const hidden = await show(NATIVE, 'gemma3');
    const absent = await show(NATIVE, 'qwen3:404b');
    assert.equal(hidden.status, 404);
    assert.deepEqual(hidden.body, JSON.parse(JSON.stringify(absent.body).replaceAll('qwen3:404b', 'gemma3')), 'the same answer as a model Ollama lacks');
    assert.equal((await show(NATIVE, 'llama3.2')).status, 200);
    assert.equal((await show(ADMIN, 'gemma3')).status, 200, 'an unlimited key goes straight to Ollama');
    const all = await call(stack, '/api/tags', ADMIN);
    assert.ok((all.body['models'] as unknown[]).length > 2);
  });

  test('x-api-key and api-key carry the key too; Bearer is read first', async () => {
    assert.equal((await call(stack, '/v1/models', TEAM, {}, 'x-api-key')).status, 200);
    assert.equal((await call(stack, '/v1/models', TEAM, {}, 'api-key')).status, 200);
    const both = await fetch(`${stack.url}/v1/models`, { headers: { authorization: 'Bearer sk-wrong', 'x-api-key': TEAM } });
    assert.equal(both.status, 401);
    const wrong = await call(stack, '/v1/models', 'sk-wrong', {}, 'x-api-key');
    assert.equal(wrong.status, 401);
    assert.ok(!JSON.stringify(wrong.body).includes('sk-wrong'), 'the key is never echoed');
    assert.ok(!JSON.stringify(stack.logs).includes(TEAM), 'the key is never logged');
    assert.ok(stack.logs.some((line) => line['key'] === 'team-a'), 'its name is');
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, buildConfig, loadConfig } from '../../src/config/load-config.ts';

test('defaults need no file and no environment', () => {
  const config = loadConfig({ env: {} });
  assert.deepEqual(config.listen, { host: '127.0.0.1', port: 4000 });
  assert.equal(config.upstreams[0]?.url, 'http://127.0.0.1:11434');
  assert.deepEqual(config.apiKeys, []);
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.listen) && Object.isFrozen(config.defaults));
});

test('environment variables override the file', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'llm-sidecar-config-'));
  const file = join(folder, 'llm-sidecar.yaml');
  await writeFile(file, 'listen: { port: 5000 }\nupstreams: [ { name: a, url: "http://127.0.0.1:1" } ]\nmodels:\n  gemma3: { maxConcurrent: 3 }\n');
  const config = loadConfig({ file, env: { PORT: '6000', HOST: '0.0.0.0', OLLAMA_URL: 'http://127.0.0.1:2', API_KEYS: 'k1, k2,', LOG_LEVEL: 'warn', METRICS_TOKEN: 't' } });
  assert.deepEqual(config.listen, { host: '0.0.0.0', port: 6000 });
  assert.equal(config.upstreams[0]?.url, 'http://127.0.0.1:2');
  assert.deepEqual(config.apiKeys, ['k1', 'k2']);
  assert.equal(config.logLevel, 'warn');
  assert.equal(config.metricsToken, 't');
  // Limits are keyed by the canonical name, so `gemma3` governs `gemma3:latest`.
  assert.equal(config.models['gemma3:latest']?.maxConcurrent, 3);
});

test('an invalid config names every bad field at once', () => {
  assert.throws(
    () => buildConfig({ listen: { port: 'x' }, models: { a: { maxConcurrent: 0 } }, typo: true }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /listen\.port/);
      assert.match(error.message, /models\.a\.maxConcurrent/);
      assert.match(error.message, /typo/);
      return true;
    },
  );
  assert.throws(() => loadConfig({ env: { PORT: 'eighty' } }), /listen\.port/);
});

test('a missing or unparsable file is a clear error', async () => {
  assert.throws(() => loadConfig({ file: '/nonexistent/llm-sidecar.yaml', env: {} }), /not found/);
  const folder = await mkdtemp(join(tmpdir(), 'llm-sidecar-config-'));
  const file = join(folder, 'bad.yaml');
  await writeFile(file, 'listen: [unclosed\n');
  assert.throws(() => loadConfig({ file, env: {} }), /not valid YAML/);
});

test('aliases and per-model config find nothing under prototype names; names of members work as configured', async () => {
  const { ModelPolicies } = await import('../../src/models/model-policies.ts');
  const config = buildConfig({ aliases: { constructor: 'llama3.2', toString: 'qwen3' }, models: { valueOf: { requestTimeoutMs: 3_000 }, gemma3: { requestTimeoutMs: 1_000 } } });
  const policies = new ModelPolicies(config);
  assert.equal(policies.dealias('constructor'), 'llama3.2');
  assert.equal(policies.dealias('toString'), 'qwen3');
  for (const name of ['hasOwnProperty', 'valueOf', '__proto__', '__defineGetter__', 'isPrototypeOf']) assert.equal(policies.dealias(name), name);
  const defaults = policies.get('no-such-model');
  for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__', '__defineGetter__']) assert.deepEqual(policies.get(name), defaults, name);
  assert.equal(policies.get('valueOf').timeouts.requestTimeoutMs, 3_000);
  assert.equal(policies.get('gemma3').timeouts.requestTimeoutMs, 1_000);
  // The records themselves have no prototype to find members on (the scheduler's limits and pull on demand read them).
  assert.equal(config.models['constructor'], undefined);
  assert.equal(config.models['toString:latest'], undefined);
  assert.equal(config.aliases['hasOwnProperty'], undefined);
});

test('`__proto__` as a model or alias name is refused, not silently dropped', () => {
  const raw = JSON.parse('{"models": {"__proto__": {"maxConcurrent": 3}}, "aliases": {"__proto__": "qwen3"}}') as unknown;
  assert.throws(() => buildConfig(raw), (error: unknown) => error instanceof ConfigError && /models\.__proto__/.test(error.message) && /aliases\.__proto__/.test(error.message));
});

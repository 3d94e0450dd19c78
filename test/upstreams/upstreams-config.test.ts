import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, buildConfig, loadConfig } from '../../src/config/load-config.ts';

function problemsOf(raw: unknown): string {
  try {
    buildConfig(raw);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  return assert.fail('the config was accepted');
}

test('an upstream gets kind ollama, weight 1 and enabled by default; routing defaults to loaded-least-busy', () => {
  const config = buildConfig({ upstreams: [{ name: 'a', url: 'http://127.0.0.1:1' }, { name: 'b', url: 'http://127.0.0.1:2', kind: 'openai', apiKey: 'k', models: ['m'] }] });
  assert.deepEqual(config.upstreams[0], { name: 'a', url: 'http://127.0.0.1:1', kind: 'ollama', weight: 1, enabled: true });
  assert.equal(config.upstreams[1]?.kind, 'openai');
  assert.equal(config.routing.strategy, 'loaded-least-busy');
  assert.equal(config.redisFailure, 'local');
});

test('OLLAMA_URL with a comma-separated list names the nodes ollama-1, ollama-2, …; one URL stays `local`', () => {
  const pool = loadConfig({ env: { OLLAMA_URL: 'http://127.0.0.1:1, http://127.0.0.1:2' } });
  assert.deepEqual(pool.upstreams.map((upstream) => [upstream.name, upstream.url]), [['ollama-1', 'http://127.0.0.1:1'], ['ollama-2', 'http://127.0.0.1:2']]);
  assert.equal(loadConfig({ env: { OLLAMA_URL: 'http://127.0.0.1:3' } }).upstreams[0]?.name, 'local');
});

test('duplicate upstream names and urls stop start-up naming the field', () => {
  const message = problemsOf({ upstreams: [{ name: 'a', url: 'http://127.0.0.1:1' }, { name: 'a', url: 'http://127.0.0.1:1/' }] });
  assert.match(message, /upstreams\.1\.name: the name `a` is used by another upstream/);
  assert.match(message, /upstreams\.1\.url: the url http:\/\/127\.0\.0\.1:1 is used by another upstream/);
});

test('invalid combinations are refused with the field named', () => {
  assert.match(problemsOf({ upstreams: [{ name: 'a', url: 'http://127.0.0.1:1', enabled: false }] }), /upstreams: at least one upstream must be enabled/);
  assert.match(problemsOf({ upstreams: [{ name: 'a', url: 'http://127.0.0.1:1', apiKey: 'k' }] }), /upstreams\.0\.apiKey: an apiKey is only sent to an upstream of kind `openai`/);
  assert.match(problemsOf({ routing: { strategy: 'least-busy', affinityKey: 'header' } }), /routing\.affinityKey: only applies with strategy `affinity`/);
  assert.match(problemsOf({ models: { big: { fallbacks: ['big:latest'] } } }), /models\.big:latest\.fallbacks: a model cannot be its own fallback/);
  assert.match(problemsOf({ models: { big: { spillAfterMs: 100 } } }), /models\.big:latest\.spillAfterMs: needs `fallbacks`/);
  assert.match(problemsOf({ routing: { strategy: 'nearest' } }), /routing\.strategy/);
  assert.match(problemsOf({ upstreams: [{ name: 'a', url: 'http://127.0.0.1:1', kind: 'vllm' }] }), /upstreams\.0\.kind/);
});

test('fallback names are canonical like the models they name', () => {
  const config = buildConfig({ models: { big: { fallbacks: ['small'], spillAfterMs: 500 } } });
  assert.deepEqual(config.models['big:latest']?.fallbacks, ['small:latest']);
});

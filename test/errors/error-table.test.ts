import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { ERROR_KINDS, requestKindOfStatus } from '../../src/errors/error-table.ts';
import { gatewayError, modelNotFound, restate } from '../../src/errors/gateway-error.ts';

const src = join(import.meta.dirname, '..', '..', 'src');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(directory, entry.name)) : entry.name.endsWith('.ts') ? [join(directory, entry.name)] : [],
  );
}

describe('the table of gateway errors', () => {
  test('a kind gives status, type and code; its template is filled from the facts', () => {
    const error = gatewayError('pull_not_allowed', { model: 'llama3.3' }, { param: 'model' });
    assert.deepEqual([error.status, error.type, error.code, error.param], [403, 'permission_error', 'pull_not_allowed', 'model']);
    assert.equal(error.message, "Pulling `llama3.3` is not allowed: add it to `models` or match it with `pullAllowed` in the gateway's config.");
    assert.equal(modelNotFound('nope').message, 'The model `nope` does not exist or you do not have access to it.');
    assert.equal(gatewayError('model_not_found', 'Pulling `x` failed: no manifest').message, 'Pulling `x` failed: no manifest', 'a spelled-out message wins');
  });

  test('a fixed message and the kind’s Retry-After are used when the error names none', () => {
    const error = gatewayError('redis_unavailable');
    assert.deepEqual([error.status, error.code, error.retryAfterSeconds, error.message], [503, 'redis_unavailable', 5, 'The shared rate limiter (Redis) is unavailable.']);
    assert.equal(gatewayError('draining', undefined, { retryAfterSeconds: 2 }).retryAfterSeconds, 2);
  });

  test('an error that carries only a 4xx status becomes the kind of that status', () => {
    assert.equal(requestKindOfStatus(413), 'request_too_large');
    assert.equal(requestKindOfStatus(415), 'unsupported_encoding');
    assert.equal(requestKindOfStatus(416), 'invalid_request');
    assert.equal(ERROR_KINDS[requestKindOfStatus(416)].status, 400);
  });

  test('restating keeps everything but the message, and the original as the cause', () => {
    const original = gatewayError('rate_limited', 'slow down', { retryAfterSeconds: 3, param: 'model' });
    const restated = restate(original, 'Pulling `m` failed: slow down');
    assert.deepEqual([restated.status, restated.type, restated.code, restated.param, restated.retryAfterSeconds], [429, 'rate_limit_error', 'rate_limit_exceeded', 'model', 3]);
    assert.equal(restated.cause, original);
  });

  test('errors are built through the table: no `new GatewayError` outside src/errors but the relay of an upstream’s own error', () => {
    const inline = sourceFiles(src)
      .filter((file) => readFileSync(file, 'utf8').includes('new GatewayError('))
      .map((file) => relative(src, file))
      .filter((file) => !file.startsWith('errors/'));
    assert.deepEqual(inline, ['upstreams/from-openai-upstream-error.ts']);
  });
});

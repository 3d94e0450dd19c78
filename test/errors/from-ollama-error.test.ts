import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromOllamaError } from '../../src/errors/from-ollama-error.ts';

const summary = (status: number, body: string) => {
  const error = fromOllamaError(status, body);
  return { status: error.status, type: error.type, param: error.param, code: error.code, message: error.message, retryAfter: error.retryAfterSeconds };
};

describe('fromOllamaError', () => {
  test('reads the body defensively: {error}, empty, not JSON, JSON without error', () => {
    assert.equal(fromOllamaError(400, '{"error":"invalid image input"}').message, 'invalid image input');
    assert.match(fromOllamaError(500, '').message, /empty response body with HTTP status 500/);
    assert.match(fromOllamaError(500, '<html>bad gateway</html>').message, /<html>bad gateway<\/html>/);
    assert.match(fromOllamaError(500, '{"detail":"x"}').message, /\{"detail":"x"\}/);
    assert.ok(fromOllamaError(500, 'x'.repeat(5000)).message.length < 1100);
  });

  test('400 keeps the message and names the param where the text tells it', () => {
    assert.deepEqual(summary(400, '{"error":"model is required"}'), {
      status: 400, type: 'invalid_request_error', param: 'model', code: null, message: 'model is required', retryAfter: undefined,
    });
    const tools = summary(400, '{"error":"registry.ollama.ai/library/gemma:2b does not support tools"}');
    assert.deepEqual([tools.status, tools.param, tools.code], [400, 'tools', 'unsupported_feature']);
    const thinking = summary(400, '{"error":"\\"llama3.2\\" does not support thinking"}');
    assert.deepEqual([thinking.param, thinking.code], ['reasoning_effort', 'unsupported_feature']);
    assert.equal(summary(400, '{"error":"the input length exceeds the context length"}').code, 'context_length_exceeded');
    assert.equal(summary(400, '{"error":"unexpected EOF"}').param, null);
  });

  test('404 is model_not_found naming model', () => {
    const error = summary(404, `{"error":"model 'nope' not found"}`);
    assert.deepEqual([error.status, error.type, error.param, error.code, error.message], [404, 'not_found_error', 'model', 'model_not_found', "model 'nope' not found"]);
    assert.equal(summary(404, '404 page not found').code, 'not_found');
  });

  test('503 busy → 503 with Retry-After; 500 → 502; 504 → 504; 429 → 429', () => {
    const busy = summary(503, '{"error":"server busy, please try again.  maximum pending requests exceeded"}');
    assert.deepEqual([busy.status, busy.code, busy.retryAfter], [503, 'upstream_busy', 1]);
    assert.equal(fromOllamaError(503, '', { retryAfterSeconds: 7 }).retryAfterSeconds, 7);
    const failed = summary(500, '{"error":"llama runner process has terminated"}');
    assert.deepEqual([failed.status, failed.type, failed.code], [502, 'api_error', 'upstream_error']);
    assert.match(failed.message, /llama runner process has terminated/);
    assert.equal(summary(504, '').status, 504);
    assert.equal(summary(429, '').status, 429);
    assert.equal(summary(403, '').status, 502);
  });

  test('an error line mid-stream (HTTP 200) is an upstream error', () => {
    const error = summary(200, '{"error":"an error was encountered while running the model"}');
    assert.deepEqual([error.status, error.code, error.message], [502, 'upstream_error', 'Ollama failed while generating: an error was encountered while running the model']);
  });
});

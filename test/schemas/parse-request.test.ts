import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { chatCompletionRequestSchema } from '../../src/openai/chat-completion-request.ts';
import { errorBodySchema } from '../../src/openai/error-body.ts';
import { formatParam, parseRequest } from '../../src/openai/parse-request.ts';

const failure = (body: unknown) => {
  try {
    parseRequest(chatCompletionRequestSchema, body);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error.toBody().error;
  }
  throw new Error('expected a failure');
};

describe('parseRequest', () => {
  test('formatParam writes OpenAI-style paths', () => {
    assert.equal(formatParam(['messages', 0, 'content', 2, 'image_url']), 'messages[0].content[2].image_url');
    assert.equal(formatParam(['temperature']), 'temperature');
    assert.equal(formatParam([]), '');
  });

  test('a body that is not an object', () => {
    for (const body of [null, [], 'x', 3]) assert.deepEqual(failure(body), { message: 'The request body must be a JSON object.', type: 'invalid_request_error', param: null, code: null });
  });

  test('messages name the param and say what was expected', () => {
    assert.deepEqual(failure({ model: 'm' }), { message: "Missing required parameter: 'messages'.", type: 'invalid_request_error', param: 'messages', code: null });
    assert.equal(failure({ messages: [{ role: 'user', content: 'x' }], temperature: 'hot' }).message, "Invalid type for 'temperature': expected number.");
    assert.match(failure({ messages: [{ role: 'user', content: 'x' }], n: 0 }).message, /^Invalid value for 'n': too small/);
    assert.equal(failure({ messages: [{ role: 'user', content: 'x' }], n: 1.5 }).message, "Invalid type for 'n': expected integer.");
  });

  test('inside a union, the branch the client meant is reported', () => {
    const error = failure({ messages: [{ role: 'user', content: [{ type: 'text', text: 3 }] }] });
    assert.deepEqual([error.param, error.message], ['messages[0].content[0].text', "Invalid type for 'messages[0].content[0].text': expected string."]);
    assert.equal(failure({ messages: [{ role: 'user', content: [{ type: 'video' }] }] }).param, 'messages[0].content[0].type');
    assert.equal(failure({ messages: [{ role: 'user', content: 'x' }], tool_choice: { type: 'function', function: {} } }).param, 'tool_choice.function.name');
  });

  test('errors match the error body schema', () => {
    assert.doesNotThrow(() => errorBodySchema.parse({ error: failure({}) }));
  });

  test('returns the parsed request with unknown top-level keys dropped', () => {
    const request = parseRequest(chatCompletionRequestSchema, { messages: [{ role: 'user', content: 'x' }], brand_new_field: true });
    assert.equal('brand_new_field' in request, false);
  });
});

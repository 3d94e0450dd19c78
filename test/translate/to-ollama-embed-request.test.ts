import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { embeddingRequestSchema, readEncodingFormat } from '../../src/openai/embedding-request.ts';
import { parseRequest } from '../../src/openai/parse-request.ts';
import { encodeFloat32Base64 } from '../../src/translate/from-ollama-embed-response.ts';
import { toOllamaEmbedRequest } from '../../src/translate/to-ollama-embed-request.ts';

const parse = (body: Record<string, unknown>) => parseRequest(embeddingRequestSchema, { model: 'e', ...body });
const translate = (body: Record<string, unknown>) => toOllamaEmbedRequest(parse(body), { model: 'nomic-embed-text:latest' });

function assertRefused(body: Record<string, unknown>, param: string, message?: RegExp): void {
  assert.throws(
    () => translate(body),
    (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === param && (!message || message.test(error.message)),
  );
}

describe('toOllamaEmbedRequest', () => {
  test('input string or list, truncate off so over-long input is an error rather than silently cut', () => {
    assert.deepEqual(translate({ input: 'hello' }), { model: 'nomic-embed-text:latest', input: 'hello', truncate: false });
    assert.deepEqual(translate({ input: ['a', 'b'], dimensions: 64, user: 'ignored' }), {
      model: 'nomic-embed-text:latest',
      input: ['a', 'b'],
      truncate: false,
      dimensions: 64,
    });
    assert.deepEqual(translate({ input: '' }).input, ['']);
  });

  test('configured options and keep_alive are sent', () => {
    const request = parse({ input: 'x' });
    const native = toOllamaEmbedRequest(request, { model: 'm', defaults: { options: { num_ctx: 2048 }, keepAlive: -1 } });
    assert.deepEqual(native.options, { num_ctx: 2048 });
    assert.equal(native.keep_alive, -1);
  });

  test('token arrays, an empty list and bad values are refused naming the param', () => {
    assertRefused({ input: [1, 2] }, 'input', /token arrays/);
    assertRefused({ input: [[1], [2]] }, 'input');
    assertRefused({ input: [] }, 'input');
    assertRefused({ input: 'x', encoding_format: 'hex' }, 'encoding_format', /Supported values: \['float', 'base64'\]/);
    assertRefused({ input: 'x', dimensions: 0 }, 'dimensions');
    assertRefused({}, 'input', /Missing required parameter/);
  });

  test('encoding_format is case-insensitive', () => {
    assert.equal(readEncodingFormat(parse({ input: 'x', encoding_format: 'BASE64' })), 'base64');
    assert.equal(readEncodingFormat(parse({ input: 'x', encoding_format: 'Float' })), 'float');
    assert.equal(readEncodingFormat(parse({ input: 'x' })), 'float');
  });

  test('base64 is little-endian float32, decodable like the openai SDK does', () => {
    assert.equal(encodeFloat32Base64([0.1, -0.2, 0.3]), 'zczMPc3MTL6amZk+');
    const bytes = Buffer.from(encodeFloat32Base64([1.5, -2]), 'base64');
    assert.deepEqual(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, 2)), [1.5, -2]);
  });
});

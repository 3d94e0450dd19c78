import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { readNdjsonLines, splitNdjsonLines } from '../../src/ollama/read-ndjson-lines.ts';
import { splitIntoChunks } from './fixture-helpers.ts';

const encode = (text: string) => new TextEncoder().encode(text);
async function* chunksOf(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? encode(part) : part;
}
const collect = async <T>(lines: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const line of lines) out.push(line);
  return out;
};

describe('splitNdjsonLines', () => {
  test('a line split across chunks, CRLF, blank lines, a last line without newline', async () => {
    const lines = await collect(splitNdjsonLines(chunksOf('{"a":', '1}\r\n\n  \n{"b"', ':2}\n{"c":3}')));
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  test('a UTF-8 character split across chunks arrives whole, at every split point', async () => {
    const bytes = encode('{"t":"héllo 👋 wörld"}\n{"t":"日本"}\n');
    for (let size = 1; size <= 8; size += 1) {
      const values = await collect(readNdjsonLines(splitIntoChunks(bytes, size)));
      assert.deepEqual(values, [{ t: 'héllo 👋 wörld' }, { t: '日本' }], `chunk size ${size}`);
    }
  });

  test('the 4 bytes of an emoji in separate chunks', async () => {
    const emoji = encode('"👋"\n');
    const lines = await collect(splitNdjsonLines(chunksOf(emoji.slice(0, 2), emoji.slice(2, 3), emoji.slice(3))));
    assert.deepEqual(lines, ['"👋"']);
  });

  test('a line longer than the limit is an upstream error, even before its newline arrives', async () => {
    const long = chunksOf('x'.repeat(6), 'x'.repeat(6));
    await assert.rejects(collect(splitNdjsonLines(long, { maxLineBytes: 10 })), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.status, 502);
      assert.match(error.message, /longer than 10 bytes/);
      return true;
    });
    assert.deepEqual(await collect(splitNdjsonLines(chunksOf('0123456789\n0123456789'), { maxLineBytes: 10 })), ['0123456789', '0123456789']);
  });

  test('chunk buffers reused by the producer do not corrupt a pending line', async () => {
    const shared = new Uint8Array(4);
    async function* reusing(): AsyncGenerator<Uint8Array> {
      for (const part of ['{"a"', ':"bc', 'd"}\n']) {
        shared.set(encode(part));
        yield shared;
      }
    }
    assert.deepEqual(await collect(readNdjsonLines(reusing())), [{ a: 'bcd' }]);
  });
});

describe('readNdjsonLines', () => {
  test('a line that is not JSON is a 502 quoting it', async () => {
    await assert.rejects(collect(readNdjsonLines(chunksOf('{"ok":1}\nnot json\n'))), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.status, 502);
      assert.equal(error.code, 'upstream_malformed_response');
      assert.match(error.message, /not json/);
      return true;
    });
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSseData } from '../../src/cli/bench/read-sse-data.ts';

async function* chunksOf(...parts: Array<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? new TextEncoder().encode(part) : part;
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const collected: string[] = [];
  for await (const line of lines) collected.push(line);
  return collected;
}

/** "é" is two bytes in UTF-8; these split it between chunks. */
const accented = new TextEncoder().encode('{"c":"é"}\n');
const firstHalf = accented.slice(0, 7);
const secondHalf = accented.slice(7);

test('SSE: events split across chunks, comments ignored, ends at [DONE]', async () => {
  const chunks = chunksOf(
    ': keep-alive\n\ndata: {"x"',
    ':1}\n',
    '\ndata: ',
    firstHalf,
    secondHalf,
    '\n',
    'data: [DONE]\n\ndata: {"late":1}\n\n',
  );
  const data = await collect(readSseData(chunks));
  assert.deepEqual(data, ['{"x":1}', '{"c":"é"}']);
});

test('SSE: a stream that ends without [DONE] yields what it dispatched', async () => {
  assert.deepEqual(await collect(readSseData(chunksOf('data: {"a":1}\n\ndata: {"cut"'))), ['{"a":1}']);
});

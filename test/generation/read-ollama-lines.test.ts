import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readOllamaLines, type LineCount } from '../../src/generation/read-ollama-lines.ts';

async function* chunks(...texts: string[]): AsyncGenerator<Uint8Array> {
  for (const text of texts) yield Buffer.from(text);
}

const token = (content: string): string => `${JSON.stringify({ message: { role: 'assistant', content }, done: false })}\n`;

test('each chunk gives one batch of the lines it completed, counted as they pass', async () => {
  const count: LineCount = {};
  const seen: Array<{ batch: number; counted: number | undefined }> = [];
  for await (const batch of readOllamaLines(chunks(token('a') + token('b'), token('c').slice(0, 5), token('c').slice(5), '{"done":true}'), count)) {
    seen.push({ batch: batch.length, counted: count.streamedLines });
  }
  assert.deepEqual(seen, [
    { batch: 2, counted: 2 },
    { batch: 1, counted: 3 },
    { batch: 1, counted: 4 },
  ]);
});

test('a cut stream keeps the count of what was read before it failed', async () => {
  const count: LineCount = {};
  await assert.rejects(async () => {
    for await (const _batch of readOllamaLines(chunks(token('a'), token('b')), count));
  }, /without|done|cut|complete/i);
  assert.equal(count.streamedLines, 2);
});

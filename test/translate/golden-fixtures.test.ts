import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { readNdjsonLines } from '../../src/ollama/read-ndjson-lines.ts';
import {
  ollamaChatChunkSchema,
  ollamaEmbedResponseSchema,
  ollamaGenerateChunkSchema,
  ollamaTagsResponseSchema,
} from '../../src/ollama/wire.ts';
import { createChatChunkMapper } from '../../src/translate/create-chat-chunk-mapper.ts';
import { createCompletionChunkMapper } from '../../src/translate/create-completion-chunk-mapper.ts';
import { fromOllamaChatResponse } from '../../src/translate/from-ollama-chat-response.ts';
import { fromOllamaEmbedResponse } from '../../src/translate/from-ollama-embed-response.ts';
import { fromOllamaError } from '../../src/errors/from-ollama-error.ts';
import { fromOllamaGenerateResponse } from '../../src/translate/from-ollama-generate-response.ts';
import { toOpenAIModelList } from '../../src/translate/to-openai-models.ts';
import {
  createCountingIdGenerator,
  fixturesDirectory,
  identity,
  readFixtureBytes,
  readFixtureJson,
  readFixtureOptions,
  splitIntoChunks,
} from './fixture-helpers.ts';

const fixtures = readdirSync(fixturesDirectory);
const named = (prefix: string): string[] => fixtures.filter((name) => name.startsWith(prefix));
const completionIdentity = { ...identity, id: 'cmpl-test' };

/** Runs native NDJSON through the reader and a mapper the way the HTTP relay does; an error line ends it. */
async function relay(name: string, chunkSize: number, mapLine: (line: Record<string, unknown>) => unknown[], finish: () => unknown[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const value of readNdjsonLines(splitIntoChunks(readFixtureBytes(name, 'native.ndjson'), chunkSize))) {
    const line = value as Record<string, unknown>;
    if (typeof line['error'] === 'string') {
      out.push(fromOllamaError(200, JSON.stringify(line)).toBody());
      return out;
    }
    out.push(...mapLine(line));
  }
  return [...out, ...finish()];
}

describe('golden fixtures: non-streamed chat', () => {
  for (const name of named('chat-').filter((fixture) => !fixture.startsWith('chat-stream-'))) {
    test(name, () => {
      const native = ollamaChatChunkSchema.parse(readFixtureJson(name, 'native.json'));
      const actual = fromOllamaChatResponse(native, { ...identity, generateId: createCountingIdGenerator() });
      assert.deepEqual(actual, readFixtureJson(name, 'expected.json'));
    });
  }
});

describe('golden fixtures: streamed chat', () => {
  for (const name of named('chat-stream-')) {
    for (const chunkSize of [1, 7, 4096]) {
      test(`${name} (read ${chunkSize} bytes at a time)`, async () => {
        const includeUsage = readFixtureOptions(name)['includeUsage'] === true;
        const mapper = createChatChunkMapper({ ...identity, includeUsage, generateId: createCountingIdGenerator() });
        const actual = await relay(name, chunkSize, (line) => mapper.map(ollamaChatChunkSchema.parse(line)), () => mapper.finish());
        assert.deepEqual(actual, readFixtureJson(name, 'expected.json'));
      });
    }
  }
});

describe('golden fixtures: completions', () => {
  test('completion-basic', () => {
    const native = ollamaGenerateChunkSchema.parse(readFixtureJson('completion-basic', 'native.json'));
    assert.deepEqual(fromOllamaGenerateResponse(native, completionIdentity), readFixtureJson('completion-basic', 'expected.json'));
  });

  test('completion-stream', async () => {
    const mapper = createCompletionChunkMapper({ ...completionIdentity, includeUsage: true });
    const actual = await relay('completion-stream', 5, (line) => mapper.map(ollamaGenerateChunkSchema.parse(line)), () => mapper.finish());
    assert.deepEqual(actual, readFixtureJson('completion-stream', 'expected.json'));
  });
});

describe('golden fixtures: embeddings and models', () => {
  for (const name of named('embed-')) {
    test(name, () => {
      const native = ollamaEmbedResponseSchema.parse(readFixtureJson(name, 'native.json'));
      const encodingFormat = readFixtureOptions(name)['encodingFormat'] as 'float' | 'base64';
      assert.deepEqual(fromOllamaEmbedResponse(native, { model: 'gpt-4o-mini', encodingFormat }), readFixtureJson(name, 'expected.json'));
    });
  }

  test('models', () => {
    const tags = ollamaTagsResponseSchema.parse(readFixtureJson('models', 'native.json')).models ?? [];
    const aliases = readFixtureOptions('models')['aliases'] as Record<string, string>;
    assert.deepEqual(toOpenAIModelList(tags, aliases), readFixtureJson('models', 'expected.json'));
  });
});

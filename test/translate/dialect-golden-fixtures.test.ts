/**
 * Golden fixtures of the Anthropic Messages and OpenAI Responses dialects, both directions: a client
 * request → the native request; a native answer → the dialect's answer; native NDJSON → the dialect's
 * stream events (read in pieces so lines and characters split); gateway errors → the dialect's error.
 * `UPDATE_GOLDEN=1` rewrites the expected files from the translators; review the diff before committing.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { messagesRequestSchema } from '../../src/anthropic/messages-request.ts';
import { toAnthropicError } from '../../src/anthropic/error-body.ts';
import { GatewayError, type GatewayErrorOptions } from '../../src/errors/gateway-error.ts';
import { readNdjsonLines } from '../../src/ollama/read-ndjson-lines.ts';
import { ollamaChatChunkSchema } from '../../src/ollama/wire.ts';
import { parseRequest } from '../../src/openai/parse-request.ts';
import { responsesRequestSchema, type InputItem } from '../../src/openai/responses-request.ts';
import { queueFull } from '../../src/scheduler/scheduler-errors.ts';
import { createMessageEventMapper } from '../../src/translate/anthropic/create-message-event-mapper.ts';
import { fromOllamaChatResponse as toAnthropicMessage } from '../../src/translate/anthropic/from-ollama-chat-response.ts';
import { toOllamaChatRequest as fromAnthropicRequest } from '../../src/translate/anthropic/to-ollama-chat-request.ts';
import { fromOllamaError } from '../../src/errors/from-ollama-error.ts';
import { createResponseEventMapper } from '../../src/translate/responses/create-response-event-mapper.ts';
import { fromOllamaChatResponse as toResponseObject } from '../../src/translate/responses/from-ollama-chat-response.ts';
import { toOllamaChatRequest as fromResponsesRequest } from '../../src/translate/responses/to-ollama-chat-request.ts';
import { createCountingIdGenerator, fixturesDirectory, readFixtureBytes, readFixtureJson, readFixtureOptions, splitIntoChunks } from './fixture-helpers.ts';

const update = process.env['UPDATE_GOLDEN'] === '1';
const createdAt = 1767225600;

function assertGolden(directory: string, file: string, actual: unknown): void {
  const path = join(fixturesDirectory, directory, file);
  if (update) writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
  assert.deepEqual(JSON.parse(JSON.stringify(actual)), readFixtureJson(directory, file));
}

const has = (directory: string, file: string): boolean => existsSync(join(fixturesDirectory, directory, file));
const fixturesOf = (dialect: string): string[] => readdirSync(join(fixturesDirectory, dialect)).map((name) => `${dialect}/${name}`);

/** Native lines through a mapper as the route relays them; an `{"error"}` line or a missing done line ends with `onError`. */
async function relay(name: string, chunkSize: number, map: (line: unknown) => unknown[], finish: () => unknown[], onError: (error: GatewayError) => unknown[]): Promise<unknown[]> {
  const out: unknown[] = [];
  try {
    for await (const value of readNdjsonLines(splitIntoChunks(readFixtureBytes(name, 'native.ndjson'), chunkSize))) {
      const line = value as Record<string, unknown>;
      if (typeof line['error'] === 'string') return [...out, ...onError(fromOllamaError(200, JSON.stringify(line)))];
      out.push(...map(ollamaChatChunkSchema.parse(line)));
    }
    return [...out, ...finish()];
  } catch (error) {
    if (error instanceof GatewayError) return [...out, ...onError(error)];
    throw error;
  }
}

describe('golden fixtures: Anthropic Messages', () => {
  for (const name of fixturesOf('anthropic')) {
    const options = readFixtureOptions(name);
    const identity = { id: 'msg_test', model: 'claude-sonnet-4-5', generateId: createCountingIdGenerator() };
    if (has(name, 'request.json')) {
      test(`${name}: request`, () => {
        const request = parseRequest(messagesRequestSchema, readFixtureJson(name, 'request.json'));
        assertGolden(name, 'native-request.json', fromAnthropicRequest(request, { model: 'llama3.2:latest', canThink: options['canThink'] !== false }));
      });
    }
    if (has(name, 'native.json')) {
      test(`${name}: answer`, () => {
        assertGolden(name, 'expected.json', toAnthropicMessage(ollamaChatChunkSchema.parse(readFixtureJson(name, 'native.json')), identity));
      });
    }
    if (has(name, 'native.ndjson')) {
      for (const chunkSize of [1, 7, 4096]) {
        test(`${name}: stream (read ${chunkSize} bytes at a time)`, async () => {
          const mapper = createMessageEventMapper({ ...identity, generateId: createCountingIdGenerator() });
          const events = await relay(name, chunkSize, (line) => mapper.map(line as never), () => mapper.finish(), (error) => [toAnthropicError(error).body]);
          assertGolden(name, 'expected.json', events);
        });
      }
    }
    if (has(name, 'errors.json')) {
      test(`${name}: error bodies and statuses`, () => {
        const cases = readFixtureJson(name, 'errors.json') as Array<GatewayErrorOptions & { message: string; queueFull?: boolean }>;
        const actual = cases.map((each) => toAnthropicError(each.queueFull ? queueFull('m', 1, 2) : new GatewayError(each.message, each), 'req_test'));
        assertGolden(name, 'expected.json', actual);
      });
    }
  }
});

describe('golden fixtures: OpenAI Responses', () => {
  for (const name of fixturesOf('responses')) {
    const options = readFixtureOptions(name);
    const request = parseRequest(responsesRequestSchema, has(name, 'request.json') ? readFixtureJson(name, 'request.json') : { input: 'hi' });
    const identity = { id: 'resp_test', createdAt, model: 'gpt-4o-mini' };
    if (has(name, 'request.json')) {
      test(`${name}: request`, () => {
        const history = (options['history'] ?? []) as InputItem[];
        assertGolden(name, 'native-request.json', fromResponsesRequest(request, { model: 'llama3.2:latest', history }));
      });
    }
    if (has(name, 'native.json')) {
      test(`${name}: answer`, () => {
        const native = ollamaChatChunkSchema.parse(readFixtureJson(name, 'native.json'));
        assertGolden(name, 'expected.json', toResponseObject(native, request, { ...identity, completedAt: createdAt + 1, generateId: createCountingIdGenerator() }));
      });
    }
    if (has(name, 'native.ndjson')) {
      for (const chunkSize of [1, 7, 4096]) {
        test(`${name}: stream (read ${chunkSize} bytes at a time)`, async () => {
          const mapper = createResponseEventMapper(request, { ...identity, nowSeconds: () => createdAt + 1, generateId: createCountingIdGenerator() });
          const events = await relay(name, chunkSize, (line) => mapper.map(line as never), () => mapper.finish(), (error) => mapper.fail(error));
          assertGolden(name, 'expected.json', events);
        });
      }
    }
  }
});

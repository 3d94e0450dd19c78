/**
 * Cases derived from Ollama's own tests (middleware/openai_test.go, openai/openai_test.go,
 * middleware/anthropic_test.go, openai/responses_test.go, server/routes_*_test.go, api/types_test.go):
 * the request a client sends, what Ollama's layer sends its native API (here: what reached the
 * simulator) and what the client gets back, end to end through the gateway. Where the gateway
 * deliberately differs (docs/ollama-api-notes.md, "Where we differ"), a case states our behaviour.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';

export interface CompatCase {
  /** The Ollama test the case comes from. */
  from: string;
  name: string;
  method?: 'GET' | 'POST';
  path: string;
  /** A JSON body, or the raw text of one. */
  body?: unknown;
  status: number;
  /** The `Content-Type` of the answer, exactly. */
  contentType?: string;
  /** The body that reached the simulator's native route, compared whole. */
  native?: { path: string; body: Record<string, unknown> };
  /** A part of the parsed answer that must be there as written. */
  answer?: unknown;
  /** For streams: a check on the SSE `data:` payloads. */
  frames?: (frames: string[]) => void;
}

/** A user message. */
export const user = (content: unknown) => ({ role: 'user', content });

/** An OpenAI error body with this type (and message). */
export const openAIError = (type: string, message?: string) => ({ error: { type, ...(message === undefined ? {} : { message }) } });

/** One stack (gateway in front of the simulator) per file; each case is one request. */
export function runCompatCases(title: string, groups: ReadonlyArray<{ group: string; cases: readonly CompatCase[] }>): void {
  describe(title, () => {
    let stack: TestStack;
    before(async () => {
      stack = await startStack({ requireSimulator: true, config: { logLevel: 'silent' } });
    });
    after(() => stack.close());

    for (const { group, cases } of groups) {
      describe(group, () => {
        for (const compat of cases) {
          test(`${compat.name} (${compat.from})`, async () => {
            const sim = stack.sim!;
            sim.stats.reset();
            const hasBody = compat.body !== undefined;
            const response = await fetch(`${stack.url}${compat.path}`, {
              method: compat.method ?? (hasBody ? 'POST' : 'GET'),
              headers: { 'content-type': 'application/json' },
              ...(hasBody ? { body: typeof compat.body === 'string' ? compat.body : JSON.stringify(compat.body) } : {}),
            });
            const text = await response.text();
            assert.equal(response.status, compat.status, text);
            if (compat.contentType !== undefined) assert.equal(response.headers.get('content-type'), compat.contentType);
            if (compat.native !== undefined) assert.deepEqual(sim.stats.lastBody[compat.native.path], compat.native.body);
            if (compat.answer !== undefined) assert.partialDeepStrictEqual(JSON.parse(text.split('\n')[0] ?? ''), compat.answer);
            compat.frames?.(dataFrames(text));
          });
        }
      });
    }
  });
}

function dataFrames(text: string): string[] {
  return text
    .split('\n\n')
    .map((frame) => frame.split('\n').find((line) => line.startsWith('data: ')))
    .filter((line): line is string => line !== undefined)
    .map((line) => line.slice('data: '.length));
}

/** Shared by the translate tests: deterministic ids and the golden fixtures in test/fixtures/translate. */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IdGenerator } from '../../src/translate/generate-id.ts';

export const fixturesDirectory = join(import.meta.dirname, '..', 'fixtures', 'translate');

/** `call_generated1`, `call_generated2`, … in call order. */
export function createCountingIdGenerator(): IdGenerator {
  let count = 0;
  return (prefix) => `${prefix}generated${++count}`;
}

export const identity = { id: 'chatcmpl-test', created: 1767225600, model: 'gpt-4o-mini', systemFingerprint: 'fp_ollama' };

export function readFixtureJson(name: string, file: string): unknown {
  return JSON.parse(readFileSync(join(fixturesDirectory, name, file), 'utf8'));
}

export function readFixtureOptions(name: string): Record<string, unknown> {
  const path = join(fixturesDirectory, name, 'options.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
}

export function readFixtureBytes(name: string, file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(fixturesDirectory, name, file)));
}

/** The bytes in pieces of `size`, so lines and multi-byte characters are split across chunks. */
export async function* splitIntoChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.slice(start, start + size);
}

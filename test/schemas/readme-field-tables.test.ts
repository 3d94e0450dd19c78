import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ignoredChatFields, ignoredCompletionFields, ignoredEmbeddingFields, refusedFields } from '../../src/openai/ignored-fields.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test('README lists every accepted-and-ignored and every refused field with its reason', () => {
  for (const note of [...ignoredChatFields, ...ignoredCompletionFields, ...ignoredEmbeddingFields, ...refusedFields]) {
    assert.ok(readme.includes(`| \`${note.field}\` | ${note.reason} |`), `README is missing the row for ${note.field}`);
  }
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ignoredMessagesFields, refusedMessagesFields } from '../../src/anthropic/ignored-fields.ts';
import { ignoredChatFields, ignoredCompletionFields, ignoredEmbeddingFields, refusedFields } from '../../src/openai/ignored-fields.ts';
import { ignoredResponsesFields, refusedResponsesFields } from '../../src/openai/responses-ignored-fields.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test('README lists every accepted-and-ignored and every refused field with its reason', () => {
  const notes = [
    ...ignoredChatFields,
    ...ignoredCompletionFields,
    ...ignoredEmbeddingFields,
    ...refusedFields,
    ...ignoredResponsesFields,
    ...refusedResponsesFields,
    ...ignoredMessagesFields,
    ...refusedMessagesFields,
  ];
  for (const note of notes) {
    assert.ok(readme.includes(`| \`${note.field}\` | ${note.reason} |`), `README is missing the row for ${note.field}`);
  }
});

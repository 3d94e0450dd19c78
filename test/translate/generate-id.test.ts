import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateId } from '../../src/translate/generate-id.ts';

test('generateId: prefix + 24 characters of [A-Za-z0-9], unique', () => {
  const ids = new Set(Array.from({ length: 1000 }, () => generateId('chatcmpl-')));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, /^chatcmpl-[A-Za-z0-9]{24}$/);
  assert.match(generateId('call_', 8), /^call_[A-Za-z0-9]{8}$/);
});

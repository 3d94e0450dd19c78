import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exceedsJsonDepth } from '../../src/http/json-body-parser.ts';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

test('nesting is counted across arrays and objects, up to and over the limit', () => {
  assert.equal(exceedsJsonDepth(bytes('[[{"a":[1]}]]'), 4), false);
  assert.equal(exceedsJsonDepth(bytes('[[{"a":[1]}]]'), 3), true);
  assert.equal(exceedsJsonDepth(bytes(`${'['.repeat(64)}${']'.repeat(64)}`), 64), false);
  assert.equal(exceedsJsonDepth(bytes(`${'{"k":'.repeat(65)}1${'}'.repeat(65)}`), 64), true);
});

test('brackets inside strings, escaped quotes included, are not nesting', () => {
  assert.equal(exceedsJsonDepth(bytes(JSON.stringify({ text: '[[[[[[{{{{' })), 1), false);
  assert.equal(exceedsJsonDepth(bytes(JSON.stringify({ text: 'say \\"[[[[\\" and \\\\' , next: [[1]] })), 3), false);
  assert.equal(exceedsJsonDepth(bytes(JSON.stringify({ text: 'a "quoted [ bracket"', next: [[[1]]] })), 3), true);
});

test('multi-byte characters do not confuse the scan', () => {
  assert.equal(exceedsJsonDepth(bytes(JSON.stringify({ '東京': ['🙂[', { 'ü': '}' }] })), 3), false);
});

test('a scan of a very deep body neither recurses nor reads past the limit', () => {
  const deep = bytes(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`);
  assert.equal(exceedsJsonDepth(deep, 64), true);
});

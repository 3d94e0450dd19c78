import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertUsage } from '../../src/translate/convert-usage.ts';
import { mapCompletionDoneReason, mapDoneReason } from '../../src/translate/map-done-reason.ts';
import { sumUsage } from '../../src/translate/sum-usage.ts';

test('mapDoneReason: length > tool_calls (replacing stop or none) > stop', () => {
  assert.equal(mapDoneReason('stop'), 'stop');
  assert.equal(mapDoneReason(undefined), 'stop');
  assert.equal(mapDoneReason(''), 'stop');
  assert.equal(mapDoneReason('length'), 'length');
  assert.equal(mapDoneReason('length', true), 'length');
  assert.equal(mapDoneReason('stop', true), 'tool_calls');
  assert.equal(mapDoneReason(undefined, true), 'tool_calls');
  assert.equal(mapDoneReason('unload', true), 'stop');
  assert.equal(mapDoneReason('load'), 'stop');
});

test('mapCompletionDoneReason', () => {
  assert.equal(mapCompletionDoneReason('length'), 'length');
  assert.equal(mapCompletionDoneReason('stop'), 'stop');
  assert.equal(mapCompletionDoneReason(undefined), 'stop');
});

test('convertUsage counts missing counts as zero; sumUsage adds and skips missing', () => {
  assert.deepEqual(convertUsage({ prompt_eval_count: 26, eval_count: 3 }), { prompt_tokens: 26, completion_tokens: 3, total_tokens: 29 });
  assert.deepEqual(convertUsage({}), { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  const one = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
  assert.deepEqual(sumUsage([one, undefined, one]), { prompt_tokens: 2, completion_tokens: 4, total_tokens: 6 });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InputItem } from '../../src/openai/responses-request.ts';
import { pageInputItems, withItemIds } from '../../src/translate/responses/list-input-items.ts';

let counter = 0;
const items: InputItem[] = withItemIds(
  [
    { type: 'message', role: 'user', content: 'a' },
    { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
    { type: 'function_call_output', call_id: 'c1', output: '42' },
    { type: 'message', role: 'assistant', content: 'b', id: 'msg_kept' },
  ],
  (prefix) => `${prefix}${++counter}`,
);

test('items without an id get one by their type; an item with one keeps it', () => {
  assert.deepEqual(items.map((item) => item.id), ['msg_1', 'fc_2', 'fco_3', 'msg_kept']);
});

test('before pages back toward the start; has_more says whether earlier items remain', () => {
  const page = pageInputItems(items, { order: 'asc', limit: 2, before: 'msg_kept' });
  assert.deepEqual(page.data.map((item) => item.id), ['fc_2', 'fco_3']);
  assert.equal(page.has_more, true);
  assert.equal(page.first_id, 'fc_2');
  assert.equal(page.last_id, 'fco_3');
});

test('desc is newest first; an assistant text is one output_text part', () => {
  const page = pageInputItems(items, { order: 'desc', limit: 1 });
  assert.deepEqual(page.data, [{ type: 'message', role: 'assistant', id: 'msg_kept', content: [{ type: 'output_text', text: 'b', annotations: [] }] }]);
  assert.equal(page.has_more, true);
});

test('an unknown cursor gives an empty page, not the whole list', () => {
  const page = pageInputItems(items, { order: 'asc', limit: 20, after: 'msg_gone' });
  assert.deepEqual(page, { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
});

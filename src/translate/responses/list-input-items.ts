/**
 * `GET /v1/responses/{id}/input_items`: the items a stored response was made from, as OpenAI lists
 * them — each with an id, messages with content parts, newest first unless `order=asc`, in pages
 * of `limit` after or before an item id.
 */
import type { z } from 'zod';
import type { inputItemListSchema } from '../../openai/responses-object.ts';
import type { InputItem } from '../../openai/responses-request.ts';
import type { IdGenerator } from '../generate-id.ts';

export interface InputItemsQuery {
  after?: string | undefined;
  before?: string | undefined;
  limit: number;
  order: 'asc' | 'desc';
}


type InputItemList = z.infer<typeof inputItemListSchema>;

const ID_PREFIXES: Record<InputItem['type'], string> = { message: 'msg_', function_call: 'fc_', function_call_output: 'fco_', reasoning: 'rs_', item_reference: 'ref_' };

/** Gives every item without one an id, once, when the response is stored, so pages stay stable. */
export function withItemIds(items: InputItem[], generateId: IdGenerator): InputItem[] {
  return items.map((item) => (typeof item.id === 'string' && item.id !== '' ? item : { ...item, id: generateId(ID_PREFIXES[item.type]) }));
}

/** One page of `items` (kept oldest first) by `query`; an unknown cursor starts nowhere, as an empty page. */
export function pageInputItems(items: InputItem[], query: InputItemsQuery): InputItemList {
  const ordered = query.order === 'asc' ? items : [...items].reverse();
  let start = 0;
  let end = ordered.length;
  if (query.after !== undefined) start = indexAfter(ordered, query.after);
  if (query.before !== undefined) end = Math.max(start, ordered.findIndex((item) => item.id === query.before));
  const window = ordered.slice(start, end);
  const page = query.before !== undefined && query.after === undefined ? window.slice(-query.limit) : window.slice(0, query.limit);
  const data = page.map(listedItem) as InputItemList['data'];
  const hasMore = query.before !== undefined && query.after === undefined ? window.length > page.length : start + page.length < end;
  return { object: 'list', data, first_id: (data[0]?.['id'] as string | undefined) ?? null, last_id: (data.at(-1)?.['id'] as string | undefined) ?? null, has_more: hasMore };
}

function indexAfter(items: InputItem[], id: string): number {
  const index = items.findIndex((item) => item.id === id);
  return index === -1 ? items.length : index + 1;
}

/** A message's text content is listed as one part, `input_text` (or `output_text` for the assistant's). */
function listedItem(item: InputItem): Record<string, unknown> {
  if (item.type !== 'message' || typeof item.content !== 'string') return item;
  const part = item.role === 'assistant' ? { type: 'output_text', text: item.content, annotations: [] } : { type: 'input_text', text: item.content };
  return { ...item, content: [part] };
}

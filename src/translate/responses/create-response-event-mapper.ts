/**
 * Streamed `/api/chat` lines → the Responses stream events in OpenAI's order (DIALECTS.md §1.5, real
 * API where Ollama differs): `response.created`, `response.in_progress`; per output item
 * `output_item.added` … `output_item.done` (reasoning: summary part and text deltas; message: content
 * part and `output_text` deltas; function call: argument delta and done); then `response.completed`
 * (or `response.incomplete` when cut by `max_output_tokens`). Every event has the next `sequence_number`.
 * An item is closed before the next one opens, so output indexes never clash.
 */
import { upstreamError, type GatewayError } from '../../errors/gateway-error.ts';
import type { OllamaChatChunk, OllamaToolCall } from '../../ollama/wire.ts';
import type { OutputItem, ResponseObject, ResponseStreamEvent } from '../../openai/responses-object.ts';
import type { ResponsesRequest } from '../../openai/responses-request.ts';
import type { IdGenerator } from '../generate-id.ts';
import { buildResponseObject, toResponsesUsage, type ResponseIdentity } from './build-response-object.ts';

type Unsequenced<Event> = Event extends unknown ? Omit<Event, 'sequence_number'> : never;
type Draft = Unsequenced<ResponseStreamEvent>;

export interface ResponseEventMapperOptions extends ResponseIdentity {
  generateId: IdGenerator;
  /** Unix seconds, for `completed_at`. */
  nowSeconds: () => number;
}

export interface ResponseEventMapper {
  map(line: OllamaChatChunk): ResponseStreamEvent[];
  /** Closes the open item and ends with `response.completed`/`response.incomplete`. Throws when Ollama's done line never came. */
  finish(): ResponseStreamEvent[];
  /** The `error` event for a failure after the stream started. */
  fail(error: GatewayError): ResponseStreamEvent[];
  /** The finished response (after `finish()`), for the store. */
  result(): ResponseObject | undefined;
}

type OpenItem = { kind: 'reasoning' | 'message'; id: string; index: number; text: string } | undefined;

export function createResponseEventMapper(request: ResponsesRequest, options: ResponseEventMapperOptions): ResponseEventMapper {
  let sequence = 0;
  let started = false;
  let open: OpenItem;
  let doneLine: OllamaChatChunk | undefined;
  let finished: ResponseObject | undefined;
  const output: OutputItem[] = [];
  const incomplete = (): boolean => doneLine?.done_reason === 'length';

  const emit = (drafts: Draft[]): ResponseStreamEvent[] => drafts.map((draft) => ({ ...draft, sequence_number: sequence++ }) as ResponseStreamEvent);
  const snapshot = (status: ResponseObject['status']): ResponseObject =>
    buildResponseObject(request, options, { status, output: [...output], usage: null, completedAt: null });

  const closeItem = (): Draft[] => {
    if (open === undefined) return [];
    const { kind, id, index, text } = open;
    open = undefined;
    if (kind === 'reasoning') {
      const item: OutputItem = { id, type: 'reasoning', summary: [{ type: 'summary_text', text }], encrypted_content: text };
      output.push(item);
      const part = { type: 'summary_text' as const, text };
      return [
        { type: 'response.reasoning_summary_text.done', item_id: id, output_index: index, summary_index: 0, text },
        { type: 'response.reasoning_summary_part.done', item_id: id, output_index: index, summary_index: 0, part },
        { type: 'response.output_item.done', output_index: index, item },
      ];
    }
    const part = { type: 'output_text' as const, text, annotations: [], logprobs: [] };
    const item: OutputItem = { id, type: 'message', status: incomplete() ? 'incomplete' : 'completed', role: 'assistant', content: [part] };
    output.push(item);
    return [
      { type: 'response.output_text.done', item_id: id, output_index: index, content_index: 0, text, logprobs: [] },
      { type: 'response.content_part.done', item_id: id, output_index: index, content_index: 0, part },
      { type: 'response.output_item.done', output_index: index, item },
    ];
  };

  const openItem = (kind: 'reasoning' | 'message'): Draft[] => {
    if (open?.kind === kind) return [];
    const drafts = closeItem();
    const id = options.generateId(kind === 'reasoning' ? 'rs_' : 'msg_');
    const index = output.length;
    open = { kind, id, index, text: '' };
    if (kind === 'reasoning') {
      drafts.push(
        { type: 'response.output_item.added', output_index: index, item: { id, type: 'reasoning', summary: [] } },
        { type: 'response.reasoning_summary_part.added', item_id: id, output_index: index, summary_index: 0, part: { type: 'summary_text', text: '' } },
      );
    } else {
      drafts.push(
        { type: 'response.output_item.added', output_index: index, item: { id, type: 'message', status: 'in_progress', role: 'assistant', content: [] } },
        { type: 'response.content_part.added', item_id: id, output_index: index, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } },
      );
    }
    return drafts;
  };

  const callItem = (call: OllamaToolCall): Draft[] => {
    const drafts = closeItem();
    const index = output.length;
    const item = { id: options.generateId('fc_'), type: 'function_call' as const, call_id: call.id ?? options.generateId('call_'), name: call.function.name };
    const args = JSON.stringify(call.function.arguments);
    const done: OutputItem = { ...item, status: 'completed', arguments: args };
    output.push(done);
    drafts.push(
      { type: 'response.output_item.added', output_index: index, item: { ...item, status: 'in_progress', arguments: '' } },
      { type: 'response.function_call_arguments.delta', item_id: item.id, output_index: index, delta: args },
      { type: 'response.function_call_arguments.done', item_id: item.id, output_index: index, arguments: args },
      { type: 'response.output_item.done', output_index: index, item: done },
    );
    return drafts;
  };

  const map = (line: OllamaChatChunk): ResponseStreamEvent[] => {
    const drafts: Draft[] = [];
    if (!started) {
      started = true;
      drafts.push({ type: 'response.created', response: snapshot('in_progress') }, { type: 'response.in_progress', response: snapshot('in_progress') });
    }
    if (line.done) doneLine = line;
    const thinking = line.message?.thinking ?? '';
    const text = line.message?.content ?? '';
    if (thinking !== '') {
      drafts.push(...openItem('reasoning'));
      open!.text += thinking;
      drafts.push({ type: 'response.reasoning_summary_text.delta', item_id: open!.id, output_index: open!.index, summary_index: 0, delta: thinking });
    }
    if (text !== '') {
      drafts.push(...openItem('message'));
      open!.text += text;
      drafts.push({ type: 'response.output_text.delta', item_id: open!.id, output_index: open!.index, content_index: 0, delta: text, logprobs: [] });
    }
    for (const call of line.message?.tool_calls ?? []) drafts.push(...callItem(call));
    return emit(drafts);
  };

  const finish = (): ResponseStreamEvent[] => {
    // A stream cut before Ollama's done line did not complete: no completed response is invented for it.
    if (doneLine === undefined) throw upstreamError('Ollama ended the stream before the answer was complete.', undefined, 'upstream_incomplete');
    const drafts = closeItem();
    const status = incomplete() ? 'incomplete' : 'completed';
    finished = buildResponseObject(request, options, { status, output: [...output], usage: toResponsesUsage(doneLine), completedAt: options.nowSeconds() });
    drafts.push({ type: status === 'incomplete' ? 'response.incomplete' : 'response.completed', response: finished });
    return emit(drafts);
  };

  const fail = (error: GatewayError): ResponseStreamEvent[] => emit([{ type: 'error', code: error.code ?? error.type, message: error.message, param: error.param }]);

  return { map, finish, fail, result: () => finished };
}

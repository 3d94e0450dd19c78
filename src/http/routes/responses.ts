import type { Request, Response } from 'express';
import { z } from 'zod';
import { gatewayError, type GatewayError } from '../../errors/gateway-error.ts';
import { resolveResponsesImageUrls } from '../../images/resolve-image-urls.ts';
import { parseRequest } from '../../openai/parse-request.ts';
import type { ResponsesUsage, ResponseStreamEvent } from '../../openai/responses-object.ts';
import { inputItemSchema, responsesRequestSchema, type InputItem } from '../../openai/responses-request.ts';
import type { ResponsesStore, StoredResponse } from '../../responses-store/responses-store.ts';
import { generateId } from '../../translate/generate-id.ts';
import { pageInputItems, withItemIds } from '../../translate/responses/list-input-items.ts';
import { createResponseEventMapper } from '../../translate/responses/create-response-event-mapper.ts';
import { fromOllamaChatResponse } from '../../translate/responses/from-ollama-chat-response.ts';
import { readInputItems, toOllamaChatRequest } from '../../translate/responses/to-ollama-chat-request.ts';
import { withImageUrlsFetched } from '../fetch-request-images.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { logUnknownFields } from '../log-unknown-fields.ts';
import { prepareGeneration } from '../prepare-generation.ts';
import { readKeyOwner } from '../read-key-owner.ts';
import { recordUsage } from '../record-usage.ts';
import { contextOf } from '../request-context.ts';
import { answerChat, streamChatAsEvents } from '../serve-chat-dialect.ts';
import { sendJson } from '../send-json.ts';

const inputItemsSchema = z.array(inputItemSchema);

const responseNotFound = (id: string): GatewayError => gatewayError('response_not_found', { id });

/**
 * `POST /v1/responses` → Ollama `/api/chat`. Ollama is stateless; `previous_response_id` is served from
 * the responses store: the named response's input and output go before this request's input.
 */
export function createResponseHandler(services: GatewayServices, store: ResponsesStore) {
  return async (req: Request, res: Response): Promise<void> => {
    const parsed = parseRequest(responsesRequestSchema, req.body);
    logUnknownFields(services, res, responsesRequestSchema, req.body);
    const owner = readKeyOwner(res);
    const { model, priority } = await prepareGeneration(services, req, res, { body: parsed.model });
    const history = await readHistory(store, owner, parsed.previous_response_id);
    const request = await withImageUrlsFetched(services, res, parsed, resolveResponsesImageUrls);
    const native = toOllamaChatRequest(request, { model: model.canonical, defaults: { options: model.policy.options, keepAlive: model.policy.keepAlive }, history });
    const context = contextOf(res);
    const nowSeconds = (): number => Math.floor(services.now() / 1000);
    const identity = { id: generateId('resp_', 40), createdAt: nowSeconds(), model: model.requested };
    const conversation = withItemIds([...history, ...readInputItems(request.input)], generateId);
    const keep = async (response: StoredResponse['response']): Promise<void> => {
      if (request.store !== false) await store.save(owner, { response, input: conversation });
    };
    const settle = (usage: ResponsesUsage | null | undefined): void =>
      recordUsage(services.metrics, context, { prompt_tokens: usage?.input_tokens ?? 0, completion_tokens: usage?.output_tokens ?? 0 });
    const chat = { model, priority, native };
    if (request.stream !== true) {
      const body = fromOllamaChatResponse(await answerChat(services, res, context, chat), request, { ...identity, completedAt: nowSeconds(), generateId });
      settle(body.usage);
      await keep(body);
      sendJson(res, body);
      return;
    }
    const mapper = createResponseEventMapper(request, { ...identity, nowSeconds, generateId });
    await streamChatAsEvents<ResponseStreamEvent>(services, res, context, chat, {
      map: (line) => mapper.map(line),
      finish: () => {
        const events = mapper.finish();
        settle(mapper.result()?.usage);
        return events;
      },
      failure: (error) => mapper.fail(error),
      onComplete: async () => {
        const result = mapper.result();
        if (result !== undefined) await keep(result);
      },
    });
  };
}

/** The stored chain before a follow-up: the named response's whole input, then its output. */
async function readHistory(store: ResponsesStore, owner: string, previousId: string | null | undefined): Promise<InputItem[]> {
  if (previousId === null || previousId === undefined) return [];
  const previous = await store.get(owner, previousId);
  if (previous === undefined) throw gatewayError('previous_response_not_found', { id: previousId }, { param: 'previous_response_id' });
  return [...previous.input, ...inputItemsSchema.parse(previous.response.output)];
}

/** `GET /v1/responses/{id}`: a stored response, to the key that made it. */
export function retrieveResponseHandler(store: ResponsesStore) {
  return async (req: Request, res: Response): Promise<void> => {
    const id = String(req.params['id']);
    const record = await store.get(readKeyOwner(res), id);
    if (record === undefined) throw responseNotFound(id);
    sendJson(res, record.response);
  };
}

const inputItemsQuerySchema = z.object({
  after: z.string().min(1).optional(),
  before: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
  // what else to include only names output parts this gateway does not produce
  include: z.unknown().optional(),
});

/** `GET /v1/responses/{id}/input_items`: the stored response's input, the earlier turns of its chain included. */
export function listInputItemsHandler(store: ResponsesStore) {
  return async (req: Request, res: Response): Promise<void> => {
    const query = parseRequest(inputItemsQuerySchema, req.query);
    const id = String(req.params['id']);
    const record = await store.get(readKeyOwner(res), id);
    if (record === undefined) throw responseNotFound(id);
    sendJson(res, pageInputItems(record.input, query));
  };
}

/** `DELETE /v1/responses/{id}`. */
export function deleteResponseHandler(store: ResponsesStore) {
  return async (req: Request, res: Response): Promise<void> => {
    const id = String(req.params['id']);
    if (!(await store.delete(readKeyOwner(res), id))) throw responseNotFound(id);
    sendJson(res, { id, object: 'response', deleted: true });
  };
}

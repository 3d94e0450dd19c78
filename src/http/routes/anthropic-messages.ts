import type { Request, Response } from 'express';
import { countTokensRequestSchema, messagesRequestSchema } from '../../anthropic/messages-request.ts';
import type { MessageStreamEvent } from '../../anthropic/messages-response.ts';
import { toAnthropicError, type AnthropicErrorBody } from '../../anthropic/error-body.ts';
import { upstreamError } from '../../errors/gateway-error.ts';
import { resolveMessagesImageUrls } from '../../images/resolve-image-urls.ts';
import { parseRequest } from '../../openai/parse-request.ts';
import { createMessageEventMapper } from '../../translate/anthropic/create-message-event-mapper.ts';
import { fromOllamaChatResponse } from '../../translate/anthropic/from-ollama-chat-response.ts';
import { toCountTokensChatRequest } from '../../translate/anthropic/to-count-tokens-request.ts';
import { toOllamaChatRequest } from '../../translate/anthropic/to-ollama-chat-request.ts';
import { generateId } from '../../translate/generate-id.ts';
import { withImageUrlsFetched } from '../fetch-request-images.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { logUnknownFields } from '../log-unknown-fields.ts';
import { modelCanThink } from '../model-can-think.ts';
import { prepareGeneration } from '../prepare-generation.ts';
import { recordUsage } from '../record-usage.ts';
import { contextOf } from '../request-context.ts';
import { answerChat, encodeSseEvents, streamChatAsEvents } from '../serve-chat-dialect.ts';

/**
 * `POST /v1/messages` (Anthropic Messages) → Ollama `/api/chat`, through the model's limiter. Keys come
 * from `x-api-key` or Bearer; `anthropic-version` is accepted and not read. Errors leave through the
 * error middleware in Anthropic's dialect (error-dialects.ts).
 */
export function anthropicMessagesHandler(services: GatewayServices) {
  return async (req: Request, res: Response): Promise<void> => {
    res.setHeader('request-id', contextOf(res).id);
    const parsed = parseRequest(messagesRequestSchema, req.body);
    logUnknownFields(services, res, messagesRequestSchema, req.body);
    const { model, priority } = await prepareGeneration(services, req, res, { body: parsed.model, stream: false });
    const request = await withImageUrlsFetched(services, res, parsed, resolveMessagesImageUrls);
    const native = toOllamaChatRequest(request, {
      model: model.canonical,
      defaults: { options: model.policy.options, keepAlive: model.policy.keepAlive },
      canThink: await modelCanThink(services, model.canonical),
    });
    const context = contextOf(res);
    const identity = { id: generateId('msg_'), model: model.requested, generateId };
    const chat = { model, priority, native };
    if (request.stream !== true) {
      const body = fromOllamaChatResponse(await answerChat(services, res, context, chat), identity);
      recordUsage(services.metrics, context, { prompt_tokens: body.usage.input_tokens, completion_tokens: body.usage.output_tokens });
      res.json(body);
      return;
    }
    const mapper = createMessageEventMapper(identity);
    await streamChatAsEvents<MessageStreamEvent | AnthropicErrorBody>(services, res, context, chat, {
      map: (line) => mapper.map(line),
      finish: () => {
        const events = mapper.finish();
        const usage = mapper.usage();
        recordUsage(services.metrics, context, { prompt_tokens: usage.input_tokens, completion_tokens: usage.output_tokens });
        return events;
      },
      failure: (error) => [toAnthropicError(error, context.id).body],
      // While queued, a streaming client gets `ping` events, as Anthropic sends them to keep a stream alive.
      writeBeat: (response) => {
        if (!response.destroyed && !response.writableEnded) response.write(encodeSseEvents([{ type: 'ping' }]));
      },
    });
  };
}

/**
 * `POST /v1/messages/count_tokens`: the model's own tokenizer and template count the prompt (Ollama's
 * `prompt_eval_count` of a one-token generation), never a character estimate. Runs in a slot of the model.
 */
export function anthropicCountTokensHandler(services: GatewayServices) {
  return async (req: Request, res: Response): Promise<void> => {
    res.setHeader('request-id', contextOf(res).id);
    const parsed = parseRequest(countTokensRequestSchema, req.body);
    logUnknownFields(services, res, countTokensRequestSchema, req.body);
    const { model, priority } = await prepareGeneration(services, req, res, { body: parsed.model, stream: false });
    const request = await withImageUrlsFetched(services, res, parsed, resolveMessagesImageUrls);
    const native = toCountTokensChatRequest(request, {
      model: model.canonical,
      defaults: { options: model.policy.options, keepAlive: model.policy.keepAlive },
      canThink: await modelCanThink(services, model.canonical),
    });
    const answer = await answerChat(services, res, contextOf(res), { model, priority, native });
    if (answer.prompt_eval_count === undefined) throw upstreamError('Ollama reported no prompt_eval_count, so the prompt cannot be counted.', undefined, 'upstream_no_count');
    res.json({ input_tokens: answer.prompt_eval_count });
  };
}

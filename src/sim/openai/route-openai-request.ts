import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody } from '../read-json-body.ts';
import { openExchange } from '../route-request.ts';
import type { Exchange, SimContext } from '../sim-context.ts';
import { sendJson } from '../write-response.ts';
import { handleOpenAiEmbeddings } from './handle-openai-embeddings.ts';
import { handleOpenAiGeneration } from './handle-openai-generation.ts';
import { sendOpenAiError } from './write-openai-response.ts';

type Handler = (context: SimContext, exchange: Exchange, body: unknown) => Promise<void>;

const generations = new Map<string, Handler>([
  ['/v1/chat/completions', (context, exchange, body) => handleOpenAiGeneration(context, exchange, body, 'chat')],
  ['/v1/completions', (context, exchange, body) => handleOpenAiGeneration(context, exchange, body, 'completion')],
  ['/v1/embeddings', handleOpenAiEmbeddings],
]);

/** Handles one request of the simulated OpenAI-compatible server (vLLM, llama.cpp's server, LM Studio). */
export async function routeOpenAiRequest(context: SimContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  context.stats.countRequest(path);
  if (path === '/v1/models' && request.method === 'GET') {
    const data = context.catalog.list().map((model) => ({ id: model.name, object: 'model', created: 1_767_225_600, owned_by: 'simulator' }));
    return sendJson(response, 200, { object: 'list', data });
  }
  const handler = generations.get(path);
  if (handler === undefined) return sendOpenAiError(response, 404, `Unknown route: ${request.method ?? 'GET'} ${path}`, 'invalid_request_error', 'unknown_url');
  if (request.method !== 'POST') return sendOpenAiError(response, 405, `Method ${request.method ?? 'GET'} is not allowed on ${path}`, 'invalid_request_error', 'method_not_allowed');
  const exchange = openExchange(context, request, response, path);
  const parsed = await readJsonBody(request);
  if (!parsed.ok) return sendOpenAiError(response, 400, `The body is not valid JSON: ${parsed.error}`, 'invalid_request_error');
  context.stats.rememberBody(path, parsed.value);
  await handler(context, exchange, parsed.value);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { generationRoutes } from './fault-queue.ts';
import { handleChat } from './handle-chat.ts';
import { handleEmbed, handleLegacyEmbeddings } from './handle-embed.ts';
import { handleGenerate } from './handle-generate.ts';
import { handleCopy, handleDelete, handlePs, handleShow, handleTags, handleVersion } from './handle-model-admin.ts';
import { handlePull } from './handle-pull.ts';
import { readJsonBody } from './read-json-body.ts';
import type { Exchange, SimContext } from './sim-context.ts';
import { sendError, sendText } from './write-response.ts';

type Handler = (context: SimContext, exchange: Exchange, body: unknown) => void | Promise<void>;

interface Route {
  methods: readonly string[];
  handler: Handler;
  /** Reads a JSON body first (400 with Go's decoder text when it is not JSON). */
  readsBody: boolean;
}

const answerRunning: Handler = (_context, exchange) => sendText(exchange.response, 200, 'Ollama is running');

const routes = new Map<string, Route>([
  ['/', { methods: ['GET', 'HEAD'], handler: answerRunning, readsBody: false }],
  ['/api/version', { methods: ['GET', 'HEAD'], handler: handleVersion, readsBody: false }],
  ['/api/tags', { methods: ['GET', 'HEAD'], handler: handleTags, readsBody: false }],
  ['/api/ps', { methods: ['GET'], handler: handlePs, readsBody: false }],
  ['/api/show', { methods: ['POST'], handler: handleShow, readsBody: true }],
  ['/api/chat', { methods: ['POST'], handler: handleChat, readsBody: true }],
  ['/api/generate', { methods: ['POST'], handler: handleGenerate, readsBody: true }],
  ['/api/embed', { methods: ['POST'], handler: handleEmbed, readsBody: true }],
  ['/api/embeddings', { methods: ['POST'], handler: handleLegacyEmbeddings, readsBody: true }],
  ['/api/pull', { methods: ['POST'], handler: handlePull, readsBody: true }],
  ['/api/delete', { methods: ['DELETE'], handler: handleDelete, readsBody: true }],
  ['/api/copy', { methods: ['POST'], handler: handleCopy, readsBody: true }],
]);

/** Routes whose client going away early is counted in `stats.aborted`. */
const abortableRoutes: ReadonlySet<string> = new Set([...generationRoutes, '/api/pull']);

/** Handles one HTTP request of the simulated Ollama API. */
export async function routeRequest(context: SimContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  context.stats.countRequest(path);
  context.stats.recordRequest(request.method ?? 'GET', path, request.headers);
  const route = routes.get(path);
  if (route === undefined) return sendText(response, 404, '404 page not found');
  if (!route.methods.includes(request.method ?? 'GET')) return sendText(response, 405, '405 method not allowed');

  const exchange = openExchange(context, request, response, path);
  let body: unknown;
  if (route.readsBody) {
    const parsed = await readJsonBody(request);
    if (!parsed.ok) return sendError(response, 400, parsed.error);
    body = parsed.value;
    context.stats.rememberBody(path, body);
  }
  await route.handler(context, exchange, body);
}

function openExchange(context: SimContext, request: IncomingMessage, response: ServerResponse, path: string): Exchange {
  const controller = new AbortController();
  const closeOpenRequest = generationRoutes.has(path) ? context.stats.openRequest() : undefined;
  let destroyedOnPurpose = false;
  response.once('close', () => {
    if (!response.writableFinished && !destroyedOnPurpose && abortableRoutes.has(path)) context.stats.countAborted();
    controller.abort();
    closeOpenRequest?.();
  });
  return {
    request,
    response,
    path,
    signal: controller.signal,
    startedNs: process.hrtime.bigint(),
    destroySocket() {
      destroyedOnPurpose = true;
      request.socket.destroy();
    },
  };
}

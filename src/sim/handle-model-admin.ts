import { describeRunningModel, describeShow, describeTag } from './describe-models.ts';
import { normalizeModelName } from './model-names.ts';
import type { Exchange, SimContext } from './sim-context.ts';
import { sendError, sendJson } from './write-response.ts';

/** The version the simulator reports; it follows the Ollama behaviour described in docs/ollama-api-notes.md. */
export const simulatedOllamaVersion = '0.33.0';

/** `GET|HEAD /api/tags`. */
export function handleTags(context: SimContext, exchange: Exchange): void {
  sendJson(exchange.response, 200, { models: context.catalog.list().map(describeTag) });
}

/** `GET /api/ps`: loaded models, longest remaining residency first. */
export function handlePs(context: SimContext, exchange: Exchange): void {
  sendJson(exchange.response, 200, { models: context.catalog.listLoaded().map(describeRunningModel) });
}

/** `GET /api/version`. */
export function handleVersion(_context: SimContext, exchange: Exchange): void {
  sendJson(exchange.response, 200, { version: simulatedOllamaVersion });
}

/** `POST /api/show` `{model}` (or the legacy `{name}`). */
export function handleShow(context: SimContext, exchange: Exchange, body: unknown): void {
  const name = readModelName(body);
  if (name === '') return sendError(exchange.response, 400, 'model is required');
  const model = context.catalog.find(name);
  if (model === undefined) return sendError(exchange.response, 404, `model '${normalizeModelName(name)}' not found`);
  sendJson(exchange.response, 200, describeShow(model));
}

/** `DELETE /api/delete` `{model}`: 200 with no body, 404 when unknown. */
export function handleDelete(context: SimContext, exchange: Exchange, body: unknown): void {
  const name = readModelName(body);
  if (name === '') return sendError(exchange.response, 400, `name "${name}" is invalid`);
  if (!context.catalog.remove(name)) return sendError(exchange.response, 404, `model '${name}' not found`);
  exchange.response.writeHead(200).end();
}

/** `POST /api/copy` `{source, destination}`: 200 with no body, 404 when the source is unknown. */
export function handleCopy(context: SimContext, exchange: Exchange, body: unknown): void {
  const fields = asRecord(body);
  const source = typeof fields['source'] === 'string' ? fields['source'] : '';
  const destination = typeof fields['destination'] === 'string' ? fields['destination'] : '';
  if (source === '' || destination === '') return sendError(exchange.response, 400, 'source and destination are required');
  const model = context.catalog.find(source);
  if (model === undefined) return sendError(exchange.response, 404, `model '${source}' not found`);
  context.catalog.add({ ...model, name: destination }, new Date().toISOString());
  exchange.response.writeHead(200).end();
}

function readModelName(body: unknown): string {
  const fields = asRecord(body);
  const model = fields['model'];
  if (typeof model === 'string' && model !== '') return model;
  return typeof fields['name'] === 'string' ? fields['name'] : '';
}

function asRecord(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

import type { Request, Response } from 'express';
import { gatewayError } from '../errors/gateway-error.ts';
import type { ResolvedModel } from '../models/model-catalog.ts';
import { chooseModelName } from '../models/choose-model-name.ts';
import type { PullProgress } from '../models/pull-progress.ts';
import type { GatewayServices } from './gateway-services.ts';
import { admitKey, checkModelScope } from './admit-key.ts';
import { parsePriority } from './parse-priority.ts';
import { routeOnOpenAiNode } from './forward-to-openai-upstream.ts';
import { spillToFallback } from './spill-to-fallback.ts';
import { contextOf } from './request-context.ts';
import { keyOf } from './request-key.ts';
import { openEventStream, writeSseComment } from './sse-writer.ts';

export interface PreparedGeneration {
  model: ResolvedModel;
  priority: number;
}

/**
 * What every generation route checks before any queueing: not draining, a valid priority, and a
 * model Ollama has (so errors keep their real status and unknown names create no state).
 */
export async function prepareGeneration(
  services: GatewayServices,
  req: Request,
  res: Response,
  /** `stream`: whether pull-on-demand progress may be sent as SSE comments (default: the body's `stream`). */
  sources: { path?: string | undefined; body?: unknown; stream?: boolean; forwardsToOpenAi?: boolean },
): Promise<PreparedGeneration> {
  if (services.isDraining()) throw gatewayError('draining', 'The gateway is shutting down; retry on another replica.');
  const context = contextOf(res);
  const key = keyOf(res);
  const priority = parsePriority(req.headers['x-priority'], key?.limits);
  const requested = chooseModelName({ header: req.headers['x-model'], query: req.query['model'], path: sources.path, body: sources.body });
  await checkModelScope(services, key, requested);
  const streaming = sources.stream ?? (req.body as { stream?: unknown } | undefined)?.stream === true;
  const resolveOptions = { signal: context.abort.signal, ...(streaming ? { onPullProgress: writePullProgressComments(res) } : {}) };
  const model = await spillToFallback(services, res, await services.catalog.resolve(requested, resolveOptions), context.abort.signal);
  context.model = model.canonical;
  context.requestedModel = model.requested;
  // only the OpenAI routes can be forwarded to an OpenAI-compatible node as they are
  if (sources.forwardsToOpenAi !== true && services.pool.kindFor(model.canonical) === 'openai') throw routeOnOpenAiNode(req.path, model.canonical);
  if (key !== undefined) await admitKey(services, req, res, key);
  return { model, priority };
}

/**
 * Pull on demand: a streaming client waiting for a pull gets `: pull <status> <n>%` SSE
 * comments, one per change of status or whole percent, so it sees progress and proxies do not time out.
 * `sources.stream: false` keeps them off (native NDJSON clients could not parse them).
 */
function writePullProgressComments(res: Response): (progress: PullProgress) => void {
  let last = '';
  return (progress) => {
    const text = `pull ${progress.status}${progress.percent === undefined ? '' : ` ${Math.floor(progress.percent)}%`}`;
    if (text === last || res.writableEnded) return;
    last = text;
    if (!res.headersSent) openEventStream(res);
    writeSseComment(res, text);
  };
}

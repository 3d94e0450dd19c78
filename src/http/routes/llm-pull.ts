import type { Request, Response } from 'express';
import { GatewayError, gatewayError } from '../../errors/gateway-error.ts';
import { chooseModelName } from '../../models/choose-model-name.ts';
import { isPullAllowed } from '../../models/pull-allow-list.ts';
import type { PullCoordinator } from '../../models/pull-coordinator.ts';
import type { PullProgress } from '../../models/pull-progress.ts';
import { canonicalModelName } from '../../config/model-key.ts';
import { llmPullRequestSchema } from '../../openai/sidecar-llm-request.ts';
import type { LlmPullResponse } from '../../openai/sidecar-llm-response.ts';
import { parseRequest } from '../../openai/parse-request.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { contextOf } from '../request-context.ts';
import { chooseEventFormat, openLlmEvents, type EventStream } from './llm-event-stream.ts';
import { modelFromPath } from './llm-generate.ts';

/**
 * `POST /v1/llm/{model}/pull`: pulls the model through Ollama's `/api/pull`, sharing one upstream pull
 * with every concurrent caller. With `stream: true` or `Accept: text/event-stream` (or NDJSON) it relays
 * progress as it comes; otherwise it answers once the pull is done. Names must pass the pull allow-list.
 */
export function llmPullHandler(services: GatewayServices, pulls: PullCoordinator) {
  return async (req: Request, res: Response): Promise<void> => {
    const request = parseRequest(llmPullRequestSchema, req.body ?? {});
    if (services.isDraining()) throw gatewayError('draining', 'The gateway is shutting down; retry on another replica.', { retryAfterSeconds: 5 });
    const requested = chooseModelName({ header: req.headers['x-model'], query: req.query['model'], path: modelFromPath(req.params['model']) });
    const canonical = canonicalModelName(services.catalog.dealias(requested));
    if (!isPullAllowed(canonical, services.getConfig())) throw pullForbidden(requested);
    const context = contextOf(res);
    context.model = canonical;
    const accept = req.headers.accept ?? '';
    const stream = request.stream === true || /text\/event-stream|application\/(x-)?ndjson/i.test(accept);
    if (!stream) {
      const outcome = await pulls.pull(canonical, { signal: context.abort.signal });
      res.json(toPullResponse(requested, outcome));
      return;
    }
    context.stream = true;
    const events = openLlmEvents(res, chooseEventFormat(req));
    const relay = relayLatestProgress(events, requested);
    try {
      const outcome = await pulls.pull(canonical, { signal: context.abort.signal, onProgress: relay.onProgress });
      await relay.flushed();
      if (await events.write(toPullResponse(requested, outcome))) await events.end();
    } catch (error) {
      const failure = error instanceof GatewayError ? error : gatewayError('pull_failed', undefined, { cause: error });
      context.error = failure;
      await relay.flushed();
      events.fail(failure);
    }
  };
}

/** 403 in OpenAI's shape: the name is neither configured nor in `pullAllowed`. */
export function pullForbidden(name: string): GatewayError {
  return gatewayError('pull_not_allowed', { model: name }, { param: 'model' });
}

function toPullResponse(requested: string, outcome: { durationMs: number; shared: boolean }): LlmPullResponse {
  return { model: requested, status: 'success', duration_ms: outcome.durationMs, shared: outcome.shared };
}

/**
 * Writes progress in order; while the client's socket pushes back, only the latest event is kept, so a
 * slow reader of a long pull costs no memory and still sees where the pull is.
 */
function relayLatestProgress(events: EventStream, model: string): { onProgress: (progress: PullProgress) => void; flushed: () => Promise<void> } {
  let writing: Promise<void> = Promise.resolve();
  let busy = false;
  let latest: PullProgress | undefined;
  const drain = async (): Promise<void> => {
    busy = true;
    while (latest !== undefined) {
      const next = latest;
      latest = undefined;
      if (!(await events.write({ model, ...next }))) break;
    }
    busy = false;
  };
  return {
    onProgress: (progress) => {
      // Ollama's own "success" line is replaced by the route's final object: one success event per stream.
      if (progress.status === 'success') return;
      latest = progress;
      if (!busy) writing = drain();
    },
    flushed: () => writing,
  };
}

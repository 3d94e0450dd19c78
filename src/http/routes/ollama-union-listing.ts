import type { NextFunction, Request, Response } from 'express';
import { upstreamUnavailable } from '../../errors/gateway-error.ts';
import { canonicalModelName, modelKey } from '../../config/model-key.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { contextOf } from '../request-context.ts';
import { keyOf } from '../request-key.ts';

type ListedModel = { name?: unknown; model?: unknown };

/**
 * `GET /api/tags` and `GET /api/ps` in Ollama's own shape: every Ollama node's list merged, each model
 * once (the first node's entry, its fields kept), and for a key limited to some models only the models
 * in its scope, so the native API reveals no more than `/v1/models`. With one Ollama node and a key
 * without limits the passthrough relays the node's answer as it is.
 */
export function ollamaUnionListingHandler(services: GatewayServices, path: '/api/tags' | '/api/ps') {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = keyOf(res);
    const scoped = key !== undefined && key.models !== undefined;
    const nodes = services.pool.nodes.filter((node) => node.kind === 'ollama');
    if (!scoped && nodes.length <= 1) return next();
    const signal = AbortSignal.any([AbortSignal.timeout(10_000), contextOf(res).abort.signal]);
    const lists = await Promise.allSettled(nodes.map(async (node) => ((await node.client.getJson(path, { signal })) as { models?: unknown }).models));
    if (lists.every((list) => list.status === 'rejected')) throw upstreamUnavailable(`No Ollama node answered ${req.path}.`, (lists[0] as PromiseRejectedResult | undefined)?.reason);
    const union = new Map<string, ListedModel>();
    for (const list of lists) {
      if (list.status !== 'fulfilled' || !Array.isArray(list.value)) continue;
      for (const model of list.value as ListedModel[]) {
        const name = nameOf(model);
        const id = name === undefined ? JSON.stringify(model) : modelKey(name);
        if (!union.has(id)) union.set(id, model);
      }
    }
    const models = [...union.values()].filter((model) => !scoped || key.allowsModel(canonicalModelName(nameOf(model) ?? '')));
    res.json({ models });
  };
}

const nameOf = (model: ListedModel): string | undefined => (typeof model.name === 'string' ? model.name : typeof model.model === 'string' ? model.model : undefined);

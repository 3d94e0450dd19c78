import type { NextFunction, Request, Response } from 'express';
import { upstreamUnavailable } from '../../errors/gateway-error.ts';
import { modelKey } from '../../config/model-key.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { contextOf } from '../request-context.ts';

/**
 * `GET /api/tags` and `GET /api/ps` with several Ollama nodes: every node's list merged, each model
 * once (the first node's entry), in Ollama's own shape. With one Ollama node the passthrough answers.
 */
export function ollamaUnionListingHandler(services: GatewayServices, path: '/api/tags' | '/api/ps') {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const nodes = services.pool.nodes.filter((node) => node.kind === 'ollama');
    if (nodes.length <= 1) return next();
    const signal = AbortSignal.any([AbortSignal.timeout(10_000), contextOf(res).abort.signal]);
    const lists = await Promise.allSettled(nodes.map(async (node) => ((await node.client.getJson(path, { signal })) as { models?: unknown }).models));
    if (lists.every((list) => list.status === 'rejected')) throw upstreamUnavailable(`No Ollama node answered ${req.path}.`);
    const union = new Map<string, unknown>();
    for (const list of lists) {
      if (list.status !== 'fulfilled' || !Array.isArray(list.value)) continue;
      for (const model of list.value as Array<{ name?: unknown }>) {
        const key = typeof model.name === 'string' ? modelKey(model.name) : JSON.stringify(model);
        if (!union.has(key)) union.set(key, model);
      }
    }
    res.json({ models: [...union.values()] });
  };
}

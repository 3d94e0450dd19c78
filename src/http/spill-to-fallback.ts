import type { Response } from 'express';
import type { ResolvedModel } from '../models/model-catalog.ts';
import type { GatewayServices } from './gateway-services.ts';

/** The response header naming the model that served a request spilled to a fallback. */
export const SERVED_BY_HEADER = 'x-llm-sidecar-served-by';

/**
 * A burst spills to a smaller model instead of being refused: when the model's queue is full, its
 * wait would pass `spillAfterMs`, or no node for it is healthy, the first of its `fallbacks` that can
 * start at once serves the request (the answer's `model` and the served-by header name it). Otherwise
 * the model itself, which queues or refuses as usual. Decided before anything is sent upstream.
 */
export async function spillToFallback(services: GatewayServices, res: Response, model: ResolvedModel, signal: AbortSignal): Promise<ResolvedModel> {
  const fallbacks = model.policy.fallbacks;
  if (fallbacks.length === 0 || !mustSpill(services, model)) return model;
  for (const name of fallbacks) {
    const fallback = await services.catalog.resolve(name, { signal }).catch(() => undefined);
    if (fallback === undefined || !canStartNow(services, fallback.canonical)) continue;
    res.setHeader(SERVED_BY_HEADER, fallback.canonical);
    services.metrics.modelSpills.inc({ model: model.canonical, fallback: fallback.canonical });
    return { ...fallback, requested: name };
  }
  return model;
}

function mustSpill(services: GatewayServices, model: ResolvedModel): boolean {
  if (!services.pool.hasUsableNode(model.canonical)) return true;
  const outlook = services.scheduler.outlook(model.canonical);
  const spillAfterMs = model.policy.spillAfterMs;
  return outlook.queueFull || (spillAfterMs !== undefined && outlook.waitMs > spillAfterMs);
}

function canStartNow(services: GatewayServices, model: string): boolean {
  return services.pool.hasUsableNode(model) && services.scheduler.outlook(model).waitMs === 0;
}

import type { CatalogModel } from './model-catalog.ts';
import type { Exchange, SimContext } from './sim-context.ts';
import { sendJson } from './write-response.ts';

/**
 * A chat with no messages or a generate with no prompt only loads the model (`done_reason: "load"`);
 * with `keep_alive: 0` it unloads it instead (`"unload"`). The answer is one JSON object.
 */
export async function answerModelLoad(
  context: SimContext,
  exchange: Exchange,
  model: CatalogModel,
  keepAliveMs: number,
  buildBody: (doneReason: 'load' | 'unload') => Record<string, unknown>,
): Promise<void> {
  if (keepAliveMs <= 0) {
    context.catalog.keepLoaded(model, 0);
    return sendJson(exchange.response, 200, buildBody('unload'));
  }
  await context.catalog.ensureLoaded(model);
  if (exchange.signal.aborted) return;
  context.catalog.keepLoaded(model, keepAliveMs);
  sendJson(exchange.response, 200, buildBody('load'));
}

import type { DeliveryOutcome } from './deliver-answer.ts';
import type { CatalogModel } from './model-catalog.ts';
import type { Exchange, SimContext } from './sim-context.ts';
import type { SimFault } from './sim-types.ts';
import { sendError } from './write-response.ts';

/** One validated generation request (chat, generate, embed), ready to be scheduled. */
export interface GenerationJob {
  model: CatalogModel;
  keepAliveMs: number;
  /** Sends the answer once the model is resident; `loadNs` is the time spent waiting for it. */
  deliver(fault: SimFault | undefined, readyNs: bigint, loadNs: number): Promise<DeliveryOutcome>;
}

const busyText = 'server busy, please try again.  maximum pending requests exceeded';
const runnerCrashText = 'llama runner process has terminated: exit status 2';
const rateLimitedText = 'too many requests';

/**
 * Runs a job the way Ollama's scheduler does: an injected fault may fail it at once; otherwise it passes
 * the test gate, waits for a runner slot of its model (no limit on that wait), loads the model on first
 * use, answers, and restarts the model's keep-alive timer.
 */
export async function runGeneration(context: SimContext, exchange: Exchange, job: GenerationJob): Promise<void> {
  exchange.response.once('close', context.stats.enterModel(job.model.name));
  const fault = context.faults.take(exchange.path);
  if (fault?.kind === 'refuse') return exchange.destroySocket();
  if (fault?.kind === 'status500') return sendError(exchange.response, 500, runnerCrashText);
  if (fault?.kind === 'status503busy') return sendError(exchange.response, 503, busyText);
  // what Ollama answers when a cloud model's upstream rate-limits it
  if (fault?.kind === 'status429') return sendError(exchange.response, 429, rateLimitedText);

  await context.gate.pass(exchange.signal);
  if (exchange.signal.aborted) return;
  const release = await context.slots.acquire(job.model.name, exchange.signal);
  if (release === undefined) return;
  try {
    const loadNs = await context.catalog.ensureLoaded(job.model);
    const readyNs = process.hrtime.bigint();
    if (exchange.signal.aborted) return;
    const outcome = await job.deliver(fault, readyNs, Math.max(1, loadNs));
    if (outcome !== 'closed') context.catalog.keepLoaded(job.model, job.keepAliveMs);
  } finally {
    release();
  }
}

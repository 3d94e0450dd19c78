import type { Exchange, SimContext } from '../sim-context.ts';
import type { SimFault } from '../sim-types.ts';
import { stallResponse } from '../send-body-with-fault.ts';
import { sendOpenAiError } from './write-openai-response.ts';

/**
 * Runs one OpenAI-mode generation: an injected fault may fail it at once (refused connection, 500,
 * 503), else it passes the test gate and waits for a slot of its model, then `deliver` answers.
 * A stall sends headers and then nothing.
 */
export async function runOpenAiGeneration(
  context: SimContext,
  exchange: Exchange,
  model: string,
  contentType: string,
  deliver: (fault: SimFault | undefined) => Promise<void>,
): Promise<void> {
  exchange.response.once('close', context.stats.enterModel(model));
  const fault = context.faults.take(exchange.path);
  if (fault?.kind === 'refuse') return exchange.destroySocket();
  if (fault?.kind === 'status500') return sendOpenAiError(exchange.response, 500, 'Internal server error: the engine crashed.', 'server_error');
  if (fault?.kind === 'status503busy') return sendOpenAiError(exchange.response, 503, 'The server is busy; try again later.', 'server_error', 'server_busy');
  await context.gate.pass(exchange.signal);
  if (exchange.signal.aborted) return;
  const release = await context.slots.acquire(model, exchange.signal);
  if (release === undefined) return;
  try {
    if (fault?.kind === 'stall') {
      await stallResponse(exchange.response, contentType, exchange.signal);
      return;
    }
    await deliver(fault);
  } finally {
    release();
  }
}

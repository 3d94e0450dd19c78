import type { ServerResponse } from 'node:http';
import { delay, writeChunk } from '../write-response.ts';
import { flushThenDestroy } from '../send-body-with-fault.ts';
import type { SimFault } from '../sim-types.ts';
import { encodeEvent, startEventStream } from './write-openai-response.ts';

/** The frames of one streamed answer: one per token, then the closing ones. */
export interface StreamFrames {
  tokens: readonly string[];
  token(text: string): unknown;
  /** The chunk with `finish_reason`, and the usage chunk when the client asked for it. */
  closing: readonly unknown[];
}

export interface StreamPacing {
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
  signal: AbortSignal;
  fault: SimFault | undefined;
  destroySocket: () => void;
}

/**
 * Streams an answer as SSE frames ending in `[DONE]`, paced like Ollama mode, with the faults an
 * OpenAI-compatible server can suffer mid-stream: a cut connection, or an error event.
 */
export async function streamOpenAiAnswer(response: ServerResponse, frames: StreamFrames, pacing: StreamPacing): Promise<void> {
  if (pacing.timeToFirstTokenMs > 0 && !(await delay(pacing.timeToFirstTokenMs, pacing.signal))) return;
  startEventStream(response);
  const intervalMs = pacing.tokensPerSecond > 0 ? 1000 / pacing.tokensPerSecond : 0;
  const faultAt = ['cut', 'errorLine'].includes(pacing.fault?.kind ?? '') ? Math.min(pacing.fault?.afterTokens ?? 1, frames.tokens.length) : -1;
  let pending = '';
  for (const [index, token] of frames.tokens.entries()) {
    if (index === faultAt) return endWithFault(response, pending, pacing);
    if (intervalMs > 0 && index > 0 && !(await delay(intervalMs, pacing.signal))) return;
    pending += encodeEvent(frames.token(token));
    if (intervalMs > 0) {
      if (!(await writeChunk(response, pending))) return;
      pending = '';
    }
  }
  if (faultAt === frames.tokens.length) return endWithFault(response, pending, pacing);
  if (pacing.signal.aborted) return;
  response.end(pending + frames.closing.map(encodeEvent).join('') + encodeEvent('[DONE]'));
}

async function endWithFault(response: ServerResponse, pending: string, pacing: StreamPacing): Promise<void> {
  if (pacing.fault?.kind === 'cut') return flushThenDestroy(response, pending, pacing.destroySocket);
  response.end(pending + encodeEvent({ error: { message: 'The model failed while generating.', type: 'server_error', param: null, code: null } }));
}

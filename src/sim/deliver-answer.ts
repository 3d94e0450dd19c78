import type { ServerResponse } from 'node:http';
import type { DoneMetrics } from './encode-done-metrics.ts';
import type { LineEncoder } from './line-encoders.ts';
import type { AnswerPlan } from './plan-answer.ts';
import type { SimFault } from './sim-types.ts';
import { flushThenDestroy, runnerErrorText, sendBodyWithFault, stallResponse } from './send-body-with-fault.ts';
import { delay, startNdjson, writeChunk } from './write-response.ts';

/** Everything needed to send one planned answer. */
export interface Delivery {
  response: ServerResponse;
  signal: AbortSignal;
  encoder: LineEncoder;
  plan: AnswerPlan;
  stream: boolean;
  /** A fault taken for this request; only stall, cut, malformed and errorLine act here. */
  fault: SimFault | undefined;
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
  timestamp: () => string;
  /** Closes the connection on purpose (for `cut`), so it is not counted as a client abort. */
  destroySocket: () => void;
  /** hrtime when the request arrived, and when the model was ready (after any load). */
  startedNs: bigint;
  readyNs: bigint;
  loadNs: number;
  promptEvalCount: number;
}

/** How a delivery ended: the whole answer, a mid-stream error line, or a closed connection. */
export type DeliveryOutcome = 'completed' | 'errorLine' | 'closed';

const malformedLine = '{"model":"simulated malformed line",\n';
/** Lines are coalesced into writes of about this size when no pacing is asked for. */
const batchChars = 16_384;

/** Sends the answer as NDJSON lines or as one object, honouring pacing, faults and backpressure. */
export async function deliverAnswer(delivery: Delivery): Promise<DeliveryOutcome> {
  if (delivery.timeToFirstTokenMs > 0 && !(await delay(delivery.timeToFirstTokenMs, delivery.signal))) return 'closed';
  if (delivery.fault?.kind === 'stall') {
    return stallResponse(delivery.response, delivery.stream ? 'application/x-ndjson' : 'application/json; charset=utf-8', delivery.signal);
  }
  return delivery.stream ? streamLines(delivery) : sendWhole(delivery);
}

async function streamLines(delivery: Delivery): Promise<DeliveryOutcome> {
  const { plan, encoder, response } = delivery;
  const lineCount = plan.thinking.length + plan.content.length + (plan.toolCalls.length > 0 ? 1 : 0);
  const faultAt = pickFaultLine(delivery.fault, lineCount);
  const intervalMs = delivery.tokensPerSecond > 0 ? 1000 / delivery.tokensPerSecond : 0;
  let firstTokenNs: bigint | undefined;
  let pending = '';
  startNdjson(response);
  for (let index = 0; index <= lineCount; index++) {
    if (index === faultAt) {
      const outcome = await applyStreamFault(delivery, pending);
      if (outcome !== undefined) return outcome;
      pending = malformedLine;
    }
    if (index === lineCount) break;
    if (intervalMs > 0 && index > 0 && !(await delay(intervalMs, delivery.signal))) return 'closed';
    firstTokenNs ??= process.hrtime.bigint();
    pending += encodeLine(plan, encoder, index, delivery.timestamp());
    if (intervalMs > 0 || pending.length >= batchChars) {
      if (!(await writeChunk(response, pending))) return 'closed';
      pending = '';
    }
  }
  if (delivery.signal.aborted) return 'closed';
  response.end(pending + encoder.done(measure(delivery, firstTokenNs), delivery.timestamp()));
  return 'completed';
}

async function sendWhole(delivery: Delivery): Promise<DeliveryOutcome> {
  if (delivery.tokensPerSecond > 0) {
    const generationMs = (delivery.plan.evalCount * 1000) / delivery.tokensPerSecond;
    if (!(await delay(generationMs, delivery.signal))) return 'closed';
  }
  const body = delivery.encoder.whole(delivery.plan, measure(delivery, delivery.readyNs), delivery.timestamp());
  return sendBodyWithFault(delivery.response, body, delivery.fault, delivery.destroySocket);
}

function pickFaultLine(fault: SimFault | undefined, lineCount: number): number {
  if (fault === undefined || !['cut', 'malformed', 'errorLine'].includes(fault.kind)) return -1;
  return Math.min(Math.max(0, fault.afterTokens ?? 1), lineCount);
}

/** Acts out a mid-stream fault; undefined means "go on streaming" (malformed). */
async function applyStreamFault(delivery: Delivery, pending: string): Promise<DeliveryOutcome | undefined> {
  if (delivery.fault?.kind === 'cut') {
    await flushThenDestroy(delivery.response, pending, delivery.destroySocket);
    return 'closed';
  }
  if (delivery.fault?.kind === 'errorLine') {
    delivery.response.end(`${pending}{"error":${JSON.stringify(runnerErrorText)}}\n`);
    return 'errorLine';
  }
  if (pending !== '' && !(await writeChunk(delivery.response, pending))) return 'closed';
  return undefined;
}

function encodeLine(plan: AnswerPlan, encoder: LineEncoder, index: number, createdAt: string): string {
  if (index < plan.thinking.length) return encoder.thinking(plan.thinking[index] ?? '', createdAt);
  const contentIndex = index - plan.thinking.length;
  if (contentIndex < plan.content.length) return encoder.content(plan.content[contentIndex] ?? '', createdAt);
  return encoder.toolCalls(plan.toolCalls, createdAt);
}

function measure(delivery: Delivery, firstTokenNs: bigint | undefined): DoneMetrics {
  const endNs = process.hrtime.bigint();
  const evalStartNs = firstTokenNs ?? endNs;
  return {
    doneReason: delivery.plan.doneReason,
    totalDuration: Math.max(1, Number(endNs - delivery.startedNs)),
    loadDuration: delivery.loadNs,
    promptEvalCount: delivery.promptEvalCount,
    promptEvalDuration: Math.max(1, Number(evalStartNs - delivery.readyNs)),
    evalCount: delivery.plan.evalCount,
    evalDuration: delivery.plan.evalCount === 0 ? 0 : Math.max(1, Number(endNs - evalStartNs)),
  };
}

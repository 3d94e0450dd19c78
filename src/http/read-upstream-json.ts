import { classifyUpstreamFailure } from '../errors/classify-upstream-failure.ts';
import { GatewayError, upstreamError } from '../errors/gateway-error.ts';
import type { z } from 'zod';
import type { ModelCall } from './model-call.ts';

/**
 * Reads a whole (non-streamed) answer, parses it with `schema`, notes its timings, and gives the slot
 * back whatever happens.
 */
export async function readUpstreamAnswer<Schema extends z.ZodType<{ load_duration?: number | undefined; prompt_eval_duration?: number | undefined }>>(
  call: ModelCall,
  schema: Schema,
): Promise<z.infer<Schema>> {
  try {
    const answer = schema.parse(await readUpstreamJson(call));
    call.recordAnswerTimings(answer);
    return answer;
  } finally {
    call.release();
  }
}

/** Reads a whole non-streamed answer of Ollama; an `{error}` body becomes a 502 naming Ollama's text. */
export async function readUpstreamJson(call: ModelCall): Promise<Record<string, unknown>> {
  try {
    return await readJsonBody(call);
  } catch (error) {
    call.recordFailure(error);
    throw error;
  }
}

async function readJsonBody(call: ModelCall): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await call.response.body.text();
  } catch (error) {
    throw classifyUpstreamFailure(call.signal.aborted ? (call.signal.reason ?? error) : error, 'ollama');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new GatewayError(`Ollama answered with a body that is not JSON: ${text.slice(0, 200)}`, { status: 502, type: 'api_error', code: 'upstream_invalid_response' });
  }
  if (parsed === null || typeof parsed !== 'object') throw upstreamError('Ollama answered with an unexpected body.');
  const body = parsed as Record<string, unknown>;
  if (typeof body['error'] === 'string') throw upstreamError(`Ollama failed while generating: ${body['error']}`);
  return body;
}

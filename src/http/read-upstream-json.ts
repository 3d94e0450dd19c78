import { classifyUpstreamFailure } from '../errors/classify-upstream-failure.ts';
import { GatewayError, upstreamError } from '../errors/gateway-error.ts';
import type { ModelCall } from './model-call.ts';

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

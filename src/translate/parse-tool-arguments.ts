/** A tool call's arguments as OpenAI sends them (a JSON string) → the object Ollama wants. */
import { invalidRequest } from '../errors/gateway-error.ts';

/** An empty string means "no arguments"; anything but a JSON object is a 400 naming `param`. */
export function parseToolArguments(text: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidRequest('invalid tool call arguments: not valid JSON', param);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidRequest('invalid tool call arguments: must be a JSON object', param);
  }
  return parsed as Record<string, unknown>;
}

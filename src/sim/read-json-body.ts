import type { IncomingMessage } from 'node:http';
import { describeJsonError } from './describe-json-error.ts';

/** A request body parsed as JSON, or the 400 text Ollama would answer with. */
export type ParsedBody = { ok: true; value: unknown } | { ok: false; error: string };

/** Reads the whole body of `request` and parses it. */
export async function readJsonBody(request: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return parseJsonText(Buffer.concat(chunks).toString('utf8'));
}

/** Parses `text`; an empty body is Ollama's `missing request body`, bad JSON gets Go's decoder text. */
export function parseJsonText(text: string): ParsedBody {
  if (text.trim() === '') return { ok: false, error: 'missing request body' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: describeJsonError(text) ?? (error as Error).message };
  }
}

import type { ServerResponse } from 'node:http';

/**
 * The content type of the OpenAI dialect's JSON answers and errors, as OpenAI's API and Ollama's `/v1`
 * layer send it: JSON defines no charset parameter (RFC 8259), so none is added.
 */
export const OPENAI_JSON_TYPE = 'application/json';

/**
 * Ends the response with `body` as JSON: the bytes `res.json` writes, without its per-call detours
 * (three app-setting lookups, a MIME-table lookup for the charset, a Buffer copy, a freshness check
 * that cannot match with ETags off). For the answers of the OpenAI routes.
 */
export function sendJson(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.setHeader('content-type', OPENAI_JSON_TYPE);
  res.setHeader('content-length', Buffer.byteLength(text));
  // a HEAD answer has the headers of the GET one and no body (Express routes HEAD to the GET handler)
  if (res.req.method === 'HEAD') res.end();
  else res.end(text);
}

import type { ServerResponse } from 'node:http';

/**
 * Ends the response with `body` as JSON: the bytes and headers `res.json` writes here, without its
 * per-call detours (three app-setting lookups, a MIME-table lookup for the charset, a Buffer copy, a
 * freshness check that cannot match with ETags off). For the answers of the generation routes.
 */
export function sendJson(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

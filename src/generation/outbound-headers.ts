import type { IncomingHttpHeaders } from 'node:http';

/**
 * Never sent upstream: the credentials the gateway consumes (its keys are not Ollama's business),
 * RFC 9110 hop-by-hop fields (they describe the client's connection, not ours), and the framing of a
 * body the gateway has read and may rewrite (`expect` included: the gateway already answered it).
 */
const NEVER_FORWARDED = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'cookie',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'expect',
  'content-length',
  'content-encoding',
]);

/**
 * The one outbound header set of every upstream call. Without `incoming` (the OpenAI and sidecar
 * routes, whose bodies the gateway writes) it is the JSON content type alone; with it (the native
 * passthrough) the client's headers minus everything above and minus the fields its `Connection`
 * header names. `bodyLength` is the length of the body actually sent, when known.
 */
export function outboundHeaders(incoming?: IncomingHttpHeaders, body: { json: boolean; length?: number | undefined } = { json: true }): Record<string, string> {
  const headers: Record<string, string> = {};
  if (incoming !== undefined) {
    const named = new Set(String(incoming.connection ?? '').toLowerCase().split(',').map((name) => name.trim()));
    for (const [name, value] of Object.entries(incoming)) {
      if (value === undefined || NEVER_FORWARDED.has(name) || named.has(name)) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  if (body.json) headers['content-type'] = 'application/json';
  if (body.length !== undefined) headers['content-length'] = String(body.length);
  return headers;
}

import { connect } from 'node:net';

/** One generated request, as bytes on the wire will carry it. */
export interface FuzzRequest {
  /** Which generator made it, e.g. `deep-json`. */
  label: string;
  method: string;
  /** The request-target exactly as sent (it may be malformed on purpose). */
  target: string;
  headers: Array<[name: string, value: string]>;
  body: Buffer;
  /** Bytes sent instead of a request built from the fields above (malformed HTTP). */
  raw?: Buffer;
  /** The gateway must answer this itself with a 4xx, sending nothing to Ollama. */
  refused: boolean;
  /**
   * Truncated framing: the client ends its side after sending (so the server sees the request end
   * early), and the connection may end without any answer.
   */
  truncated?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type RawOutcome = { kind: 'response'; response: RawResponse } | { kind: 'closed' } | { kind: 'timeout' };

/** The request as bytes: the fields serialised (with `Host`, `Connection: close` and a length unless given), or `raw`. */
export function serialiseRequest(request: FuzzRequest, host: string): Buffer {
  if (request.raw !== undefined) return request.raw;
  const names = new Set(request.headers.map(([name]) => name.toLowerCase()));
  const headers = [...request.headers];
  if (!names.has('host')) headers.unshift(['host', host]);
  if (!names.has('connection')) headers.push(['connection', 'close']);
  if (!names.has('content-length') && !names.has('transfer-encoding') && request.body.length > 0) headers.push(['content-length', String(request.body.length)]);
  const head = `${request.method} ${request.target} HTTP/1.1\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), request.body]);
}

/**
 * Sends bytes over a fresh TCP connection and reads the answer until the server closes it (the
 * request says `Connection: close`). Interim `100 Continue` answers are skipped. `endAfterSending`
 * half-closes the connection once the bytes are out; otherwise it stays open (a server sees a
 * half-close as the client leaving, which would abort the request).
 */
export function sendRaw(port: number, bytes: Buffer, options: { timeoutMs: number; endAfterSending: boolean }): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let settled = false;
    // One deadline for the whole exchange: a stream that trickles forever is a hang too.
    const deadline = setTimeout(() => settle({ kind: 'timeout' }), options.timeoutMs);
    const settle = (outcome: RawOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      socket.destroy();
      resolve(outcome);
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after a complete answer (the server closed while bytes were still arriving) is still an answer.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const response = parseResponse(Buffer.concat(chunks));
      settle(response === undefined ? { kind: 'closed' } : { kind: 'response', response });
    });
    socket.write(bytes, () => {
      if (options.endAfterSending) socket.end();
    });
  });
}

/** Parses the final answer (after any 1xx) of a whole HTTP/1.1 exchange. */
export function parseResponse(data: Buffer): RawResponse | undefined {
  let rest = data;
  for (;;) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd < 0) return undefined;
    const lines = rest.subarray(0, headEnd).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1]);
    if (!Number.isInteger(status)) return undefined;
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    rest = rest.subarray(headEnd + 4);
    if (status >= 100 && status < 200) continue;
    const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
    const body = headers['transfer-encoding']?.toLowerCase() === 'chunked' ? dechunk(rest) : length === undefined ? rest : rest.subarray(0, length);
    return { status, headers, body };
  }
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

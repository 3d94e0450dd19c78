import { createServer, STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { gatewayError, invalidRequest, type GatewayError } from '../errors/gateway-error.ts';
import { dialectOf, renderError } from './error-dialects.ts';

/**
 * The gateway's HTTP(S) server (for `serve` and for tests alike): the app, plus answers in the
 * route's error dialect for what Node's HTTP layer refuses before the app sees a request — headers
 * too large (431), bad framing (400), an `Expect` other than `100-continue` (417). With `tls`
 * credentials it serves HTTPS.
 */
export function createGatewayServer(app: RequestListener, options: ServerOptions = {}, tls?: { cert: Buffer; key: Buffer }): Server {
  // `node:https` is taken only here: it loads TLS and OpenSSL's set-up, megabytes a plain HTTP gateway does without.
  const server: Server = tls === undefined ? createServer(options, app) : process.getBuiltinModule('node:https').createServer({ ...options, ...tls }, app);
  server.on('clientError', answerClientError);
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    res.shouldKeepAlive = false;
    writeError(res, req.method ?? '', pathOf(req.url), gatewayError('expectation_failed', `Expect: ${String(req.headers.expect)} is not supported; only 100-continue is.`));
  });
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    // The gateway answers the expectation here, so it is not passed on: an upstream told to expect
    // a 100 would wait for a body the gateway may already have read, and a proxy engine skips its
    // request hook (where credentials are stripped and deadlines set) for requests that carry it.
    delete req.headers.expect;
    res.writeContinue();
    server.emit('request', req, res);
  });
  return server;
}

/** The error for each parser failure Node answers with a status of its own; any other is a 400. */
const clientErrors: Record<string, () => GatewayError> = {
  HPE_HEADER_OVERFLOW: () => gatewayError('headers_too_large'),
  HPE_CHUNK_EXTENSIONS_OVERFLOW: () => gatewayError('request_too_large', 'The chunk extensions of the request body are larger than the gateway accepts.', { code: 'invalid_http' }),
  ERR_HTTP_REQUEST_TIMEOUT: () => gatewayError('request_timeout'),
};

function answerClientError(error: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex): void {
  // A response may already be on its way on this connection: writing another would corrupt it.
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || (inFlight !== undefined && inFlight !== null && inFlight.headersSent)) {
    socket.destroy();
    return;
  }
  const code = error.code ?? '';
  const failure = Object.hasOwn(clientErrors, code) ? clientErrors[code]!() : invalidRequest(`The request is not valid HTTP/1.1 (${code || 'parse error'}).`, null, 'invalid_http');
  // A request whose headers were read (its body then broke) is known by its URL; otherwise by the bytes received.
  const target = inFlight?.req?.url ?? requestLine(error.rawPacket).target;
  const method = inFlight?.req?.method ?? requestLine(error.rawPacket).method;
  const { status, contentType, body } = renderError(dialectOf(method, pathOf(target)), failure);
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`, `content-type: ${contentType}`, `content-length: ${Buffer.byteLength(body)}`, 'connection: close'];
  // An answer to HEAD has no body, only the length it would have had.
  socket.end(`${head.join('\r\n')}\r\n\r\n${method === 'HEAD' ? '' : body}`, () => socket.destroy());
}

/** Method and target from the start of what the client sent, e.g. `POST` and `/api/chat?x` from `POST /api/chat?x HTTP/1.1`. */
function requestLine(rawPacket: Buffer | undefined): { method: string; target: string } {
  const firstLine = rawPacket?.subarray(0, 8192).toString('latin1').split('\r\n', 1)[0] ?? '';
  const match = /^([A-Z]+) (\S+)/.exec(firstLine);
  return { method: match?.[1] ?? '', target: match?.[2] ?? '/' };
}

function pathOf(target: string | undefined): string {
  return (target ?? '/').split('?', 1)[0] ?? '/';
}

function writeError(res: ServerResponse, method: string, path: string, error: GatewayError): void {
  const { status, contentType, body } = renderError(dialectOf(method, path), error);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
}

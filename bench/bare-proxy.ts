/**
 * The benchmark's reference point: a bare Express 5 + undici proxy in front of the simulator, with
 * none of the gateway's features. `POST /api/chat` (and anything under `/api/`) is parsed with
 * `express.json()`, sent upstream over a keep-alive pool and piped back as it arrives. What the
 * machine charges for this is the floor the gateway's own figures compare with.
 * `node bench/bare-proxy.ts --upstream URL --port N`; `GET /healthz` answers 200 once listening.
 */
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import express from 'express';
import { Pool } from 'undici';

/** Builds the proxy app for one upstream origin. */
export function createBareProxy(upstreamUrl: string): { app: express.Express; close(): Promise<void> } {
  const pool = new Pool(upstreamUrl, { keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
  const app = express();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/api/*rest', express.json({ limit: '20mb' }), async (req, res) => {
    const upstream = await pool.request({
      path: req.path,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(req.body),
    });
    res.status(upstream.statusCode);
    const contentType = upstream.headers['content-type'];
    if (typeof contentType === 'string') res.setHeader('content-type', contentType);
    await pipeline(upstream.body, res);
  });
  return { app, close: () => pool.close() };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { upstream: { type: 'string' }, port: { type: 'string', default: '0' } } });
  if (values.upstream === undefined) throw new Error('--upstream URL is required');
  const proxy = createBareProxy(values.upstream);
  const server = proxy.app.listen(Number(values.port), '127.0.0.1');
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => void proxy.close().then(() => process.exit(0)));
  });
}

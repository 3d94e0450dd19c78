import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express, { type RequestHandler } from 'express';
import { invalidRequest } from '../../src/errors/gateway-error.ts';
import { errorMiddleware } from '../../src/http/error-middleware.ts';
import { HotRoutes } from '../../src/http/hot-routes.ts';
import { jsonBodyParser } from '../../src/http/json-body-parser.ts';
import { requestContextMiddleware } from '../../src/http/request-context.ts';

/** An app shaped like the gateway's: middleware, a sub-router of other paths, hot routes, an error writer. */
function buildApp() {
  const app = express();
  const steps: string[] = [];
  const mark =
    (name: string): RequestHandler =>
    (_req, _res, next) => {
      steps.push(name);
      next();
    };
  const middleware = [requestContextMiddleware(() => 0), mark('first'), mark('second')];
  for (const handler of middleware) app.use(handler);
  const pages = express.Router();
  pages.get('/page', (_req, res) => void res.send('page'));
  app.use(pages);
  const hot = new HotRoutes(app, middleware);
  const json = jsonBodyParser({ limitBytes: 1024, maxDepth: () => 8 });
  hot.post('/echo', json, (req, res) => {
    res.json({ body: req.body as unknown, route: (req.route as { path: string }).path, ip: req.ip, query: { ...req.query }, steps: steps.splice(0) });
  });
  hot.post('/refuse', (_req, _res, next) => next(invalidRequest('refused here', 'x')));
  hot.post('/reject', async () => {
    await Promise.resolve();
    throw invalidRequest('rejected later', 'y');
  });
  app.use(errorMiddleware);
  hot.install();
  // Counts the requests that went through Express's router.
  const router = (app as unknown as { router: { handle: (...args: unknown[]) => void } }).router;
  let routed = 0;
  const handle = router.handle.bind(router);
  router.handle = (...args: unknown[]) => {
    routed += 1;
    handle(...args);
  };
  return { app, routed: () => routed };
}

describe('hot routes', () => {
  let server: Server;
  let url: string;
  let routed: () => number;
  before(async () => {
    const built = buildApp();
    routed = built.routed;
    server = built.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => void server.close());

  const post = (path: string, body: unknown = { a: 1 }) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  test("a POST to a hot path skips the router and runs the middleware in order, with Express's request", async () => {
    const before = routed();
    const response = await post('/echo');
    assert.equal(response.status, 200);
    assert.ok(response.headers.get('x-request-id'));
    assert.deepEqual(await response.json(), { body: { a: 1 }, route: '/echo', ip: '127.0.0.1', query: {}, steps: ['first', 'second'] });
    assert.equal(routed(), before);
  });

  test('the same route by another URL goes through Express and answers the same', async () => {
    const before = routed();
    const response = await post('/echo?x=1');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { body: { a: 1 }, route: '/echo', ip: '127.0.0.1', query: { x: '1' }, steps: ['first', 'second'] });
    assert.equal(routed(), before + 1);
  });

  test('errors passed on, thrown by the body parser or rejected later reach the error writer', async () => {
    const refused = await post('/refuse');
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: { message: string } }).error.message, 'refused here');
    const rejected = await post('/reject');
    assert.equal(rejected.status, 400);
    assert.equal(((await rejected.json()) as { error: { message: string } }).error.message, 'rejected later');
    const broken = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    assert.equal(broken.status, 400);
    assert.equal(((await broken.json()) as { error: { code: string } }).error.code, 'invalid_json');
  });

  test('installing refuses an Express layer before a hot route that its chain would skip', () => {
    const app = express();
    app.use((_req, _res, next) => next());
    const hot = new HotRoutes(app, []);
    hot.post('/echo', (_req, res) => void res.end());
    assert.throws(() => hot.install(), /before \/echo is not in its hot chain/);
    const routed = express();
    routed.post('/echo', (_req, res) => void res.end('first'));
    const later = new HotRoutes(routed, []);
    later.post('/echo', (_req, res) => void res.end('second'));
    assert.throws(() => later.install(), /before \/echo/);
  });
});

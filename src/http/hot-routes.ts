import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { sendError, toGatewayError } from './error-middleware.ts';

/** The parts of Express 5's router this module reads: its layers, and the route a path maps to. */
interface RouterLayer {
  match(path: string): unknown;
  /** The function given to `app.use` (a sub-router has a `stack`), or the route's dispatcher. */
  handle: unknown;
  route?: { _handlesMethod(method: string): boolean };
}
interface ExpressInternals {
  router: { stack: RouterLayer[] };
  route(path: string): ExpressRoute;
  request: object;
  response: object;
  handle(req: IncomingMessage, res: ServerResponse, callback?: NextFunction): void;
}
interface ExpressRoute {
  path: string;
  post(...handlers: RequestHandler[]): ExpressRoute;
}

interface HotRoute {
  /** What `req.route` is when Express dispatches it: the request log and metrics label by its path. */
  route: ExpressRoute;
  /** The app's middleware that applies to this route, then the route's own handlers. */
  chain: RequestHandler[];
}

/**
 * The generation routes without Express's router walk: Express 5 matches every request against each
 * `app.use` layer and route in turn (regular expressions, sub-routers, a closure per step), which costs
 * more than the request's own middleware. A `POST` whose URL is exactly a hot route's path runs the
 * same middleware functions in the same order, with `req`/`res` prepared as `app.handle` prepares them
 * (prototypes, `req.res`/`res.req`, `res.locals`, `req.route`), and errors go to the one error writer.
 * Any other request (another method, a query string, a trailing slash, other case) goes to Express,
 * which registered the same routes and answers it the same way.
 */
export class HotRoutes {
  readonly #app: ExpressInternals;
  readonly #middleware: readonly RequestHandler[];
  readonly #routes = new Map<string, HotRoute>();

  /** `middleware`: the app-level handlers every hot route passes through, in the order `app.use` registered them. */
  constructor(app: Express, middleware: readonly RequestHandler[]) {
    this.#app = app as unknown as ExpressInternals;
    this.#middleware = middleware;
  }

  /** `app.post(path, ...handlers)`, and the same route on the fast path. */
  post(path: string, ...handlers: RequestHandler[]): void {
    const route = this.#app.route(path).post(...handlers);
    this.#routes.set(path, { route, chain: [...this.#middleware, ...handlers] });
  }

  /**
   * Puts the fast path in front of the router, once every route is registered. Checks first that Express
   * would run the same chain: every layer before a hot route that matches its path is one of the
   * middleware, or a sub-router none of whose layers matches it, and no earlier route takes the `POST`.
   */
  install(): void {
    const stack = this.#app.router.stack;
    for (const [path, hot] of this.#routes) {
      const position = stack.findIndex((layer) => layer.route === (hot.route as unknown));
      for (const layer of stack.slice(0, position)) {
        if (!this.#passesThrough(layer, path)) throw new Error(`an Express layer before ${path} is not in its hot chain`);
      }
    }
    const app = this.#app;
    const expressHandle = app.handle.bind(app);
    const routes = this.#routes;
    app.handle = (req, res, callback) => {
      const hot = req.method === 'POST' ? routes.get(req.url ?? '') : undefined;
      if (hot === undefined) return expressHandle(req, res, callback);
      dispatch(app, hot, req, res);
    };
  }

  #passesThrough(layer: RouterLayer, path: string): boolean {
    if (!layer.match(path)) return true;
    if (layer.route !== undefined) return !layer.route._handlesMethod('POST');
    if (this.#middleware.includes(layer.handle as RequestHandler)) return true;
    const router = layer.handle as { stack?: RouterLayer[] };
    return router.stack !== undefined && router.stack.every((inner) => this.#passesThrough(inner, path));
  }
}

function dispatch(app: ExpressInternals, hot: HotRoute, incoming: IncomingMessage, outgoing: ServerResponse): void {
  const req = incoming as Request;
  const res = outgoing as Response;
  (req as { res: Response }).res = res;
  (res as { req: Request }).req = req;
  Object.setPrototypeOf(req, app.request);
  Object.setPrototypeOf(res, app.response);
  res.locals ??= Object.create(null) as Record<string, unknown>;
  req.originalUrl = req.url;
  req.baseUrl = '';
  req.params = {};
  (req as { route: unknown }).route = hot.route;
  const chain = hot.chain;
  let index = 0;
  const next = (error?: unknown): void => {
    if (error !== undefined && error !== null) return sendError(res, toGatewayError(error));
    const handler = chain[index++];
    if (handler === undefined) return;
    try {
      // As Express's layers do: a rejected promise is an error passed on.
      const returned = handler(req, res, next) as unknown;
      if (returned instanceof Promise) returned.then(undefined, (failure: unknown) => next(failure ?? new Error('Rejected promise')));
    } catch (failure) {
      next(failure);
    }
  };
  next();
}

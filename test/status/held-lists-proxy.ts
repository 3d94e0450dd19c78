import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A proxy in front of the simulator that can hold Ollama's list calls (`/api/ps`, `/api/tags`) like a slow Ollama. */
export interface HeldListsProxy {
  url: string;
  hold(): void;
  release(): void;
  /** List calls parked now. */
  readonly held: number;
  /** Resolves once `count` list calls are parked. */
  whenHeld(count: number): Promise<void>;
  close(): Promise<void>;
}

const LIST_PATHS = new Set(['/api/ps', '/api/tags']);

export async function startHeldListsProxy(upstreamUrl: string): Promise<HeldListsProxy> {
  const upstream = new URL(upstreamUrl);
  let holding = false;
  let parked: Array<() => void> = [];
  let waiters: Array<{ count: number; resolve: () => void }> = [];
  const server: Server = createServer((req, res) => {
    const pass = (): void => {
      const outbound = forward({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      outbound.on('error', () => res.destroy());
      req.pipe(outbound);
    };
    if (!holding || !LIST_PATHS.has((req.url ?? '').split('?')[0] ?? '')) return pass();
    parked.push(pass);
    const ready = waiters.filter((waiter) => parked.length >= waiter.count);
    waiters = waiters.filter((waiter) => parked.length < waiter.count);
    for (const waiter of ready) waiter.resolve();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      const resumed = parked;
      parked = [];
      for (const pass of resumed) pass();
    },
    get held() {
      return parked.length;
    },
    whenHeld: (count) => (parked.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import type { Request, Response } from 'express';
import type { GatewayServices } from '../gateway-services.ts';

/** `GET /`: a banner, like Ollama's `Ollama is running`, which some Ollama clients use as a connection check. */
export function rootHandler() {
  return (_req: Request, res: Response): void => {
    res.type('text/plain').send('llm-sidecar is running');
  };
}

/** `GET /healthz`: the process is alive. Always 200 (Docker's HEALTHCHECK uses it). */
export function healthzHandler() {
  return (_req: Request, res: Response): void => {
    res.json({ status: 'ok' });
  };
}

/** `GET /readyz`: ready to serve — config loaded, at least one upstream reachable at its last check, not draining. */
export function readyzHandler(services: GatewayServices) {
  return (_req: Request, res: Response): void => {
    const ready = services.pool.isReady() && !services.isDraining();
    if (!ready) res.setHeader('retry-after', '5');
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      draining: services.isDraining(),
      upstreams: services.pool.nodes.map((node) => {
        const state = node.health.snapshot;
        return { name: node.name, url: node.url, reachable: state.healthy === true, ...(state.lastError === null ? {} : { lastError: state.lastError }) };
      }),
    });
  };
}

import type { Request, Response } from 'express';
import type { UpstreamHealth } from '../../ollama/upstream-health.ts';
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

/** `GET /readyz`: ready to serve — config loaded, Ollama reachable at its last check, not draining. */
export function readyzHandler(services: GatewayServices, health: UpstreamHealth) {
  return (_req: Request, res: Response): void => {
    const upstream = health.state;
    const ready = upstream.reachable && !services.isDraining();
    if (!ready) res.setHeader('retry-after', '5');
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      draining: services.isDraining(),
      upstreams: [{ name: upstream.name, url: upstream.url, reachable: upstream.reachable, ...(upstream.lastError ? { lastError: upstream.lastError } : {}) }],
    });
  };
}

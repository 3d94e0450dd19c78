import type { RouteScope } from '../config/key-entry-schema.ts';

/** Ollama routes that change its model store: admin work, whatever their prefix. */
const STORE_ROUTE = /^\/api\/(?:pull|push|create|copy|delete|blobs\/.*)\/?$/;
const OPENAI_ROUTE = /^\/v1\/(?:chat\/completions|completions|embeddings|models(?:\/.*)?|responses(?:\/.*)?|messages(?:\/.*)?)\/?$/;

/**
 * The scope a route needs. `null`: any valid key (its own usage, unknown paths that answer 404).
 * Pulls and store routes are admin under either prefix; `/metrics` is admin unless METRICS_TOKEN
 * guards it (the caller leaves that route open then).
 */
export function routeScopeOf(path: string): RouteScope | null {
  if (OPENAI_ROUTE.test(path)) return 'openai';
  if (STORE_ROUTE.test(path)) return 'admin';
  if (path.startsWith('/api/')) return 'native';
  if (path.startsWith('/v1/llm/')) return /\/pull\/?$/.test(path) ? 'admin' : 'sidecar';
  if (path === '/metrics' || path === '/v1/status' || path.startsWith('/v1/status/')) return 'admin';
  return null;
}

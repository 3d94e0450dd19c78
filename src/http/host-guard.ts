import { isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { gatewayError, type GatewayError } from '../errors/gateway-error.ts';

export interface HostGuardSettings {
  /** The address the server listens on: the guard applies only to a loopback one. */
  listenHost: string;
  /** Host names accepted besides loopback names; `*` turns the guard off. */
  allowedHosts: readonly string[];
}

/**
 * DNS-rebinding guard, as Ollama has: a gateway listening on loopback answers only requests whose
 * `Host` names loopback (`localhost`, `*.localhost`, `127.x.x.x`, `[::1]`) or an `allowedHosts`
 * entry. A web page whose own name was re-pointed at 127.0.0.1 sends its own name as `Host`, so it
 * gets 403 instead of the API. A gateway listening on another address is meant to be reached by
 * other names and is not guarded; a request without `Host` (HTTP/1.0) carries no page's name.
 */
export function hostGuard(getSettings: () => HostGuardSettings): RequestHandler {
  return (req, _res, next) => {
    const settings = getSettings();
    const header = req.headers.host;
    if (header === undefined || header === '' || !isLoopbackName(settings.listenHost) || settings.allowedHosts.includes('*')) return next();
    const name = hostnameOf(header);
    const allowed = isLoopbackName(name) || settings.allowedHosts.some((host) => host.toLowerCase() === name);
    next(allowed ? undefined : hostNotAllowed(name));
  };
}

const hostNotAllowed = (name: string): GatewayError =>
  gatewayError('permission_denied', `Host \`${name}\` is not allowed: this gateway listens on loopback and answers loopback names and \`allowedHosts\` only.`, { code: 'host_not_allowed' });

/** `Host` without its port, lowercased; `[::1]:4000` → `::1`. */
export function hostnameOf(header: string): string {
  const host = header.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']') === -1 ? undefined : host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon === -1 || host.indexOf(':') !== colon ? host : host.slice(0, colon);
}

export function isLoopbackName(name: string): boolean {
  const host = name.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '::ffff:127.0.0.1';
}

import { invalidRequest } from '../errors/gateway-error.ts';

export interface ModelNameSources {
  header?: string | string[] | undefined;
  query?: unknown;
  path?: string | undefined;
  body?: unknown;
}

/**
 * The one rule for which model a request is for, used by every generation route: the `X-Model`
 * header, then `?model=`, then the path, then the body's `model`. The first non-empty one wins.
 */
export function chooseModelName(sources: ModelNameSources): string {
  const candidates = [first(sources.header), first(sources.query), sources.path, sources.body];
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim();
  }
  if (sources.body !== undefined && typeof sources.body !== 'string') {
    throw invalidRequest('`model` must be a string.', 'model', 'invalid_type');
  }
  throw invalidRequest('You must provide a model parameter.', 'model', 'missing_required_parameter');
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

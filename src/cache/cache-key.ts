import { createHash } from 'node:crypto';
import { stableJson } from './stable-json.ts';

/**
 * The key of one cacheable request: the gateway route and the translated native request (canonical
 * model name, options, messages...), so aliases and spellings of one model share entries, and
 * anything that changes what Ollama is asked changes the key. Also the shape of the answer the
 * client asked for (`stream`, usage chunk, `n`, encoding) since the cached body is that answer.
 */
export function createCacheKey(route: string, native: unknown, answerShape: Record<string, unknown>): string {
  return createHash('sha256').update(stableJson({ route, native, answerShape })).digest('hex');
}

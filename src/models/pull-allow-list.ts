import type { Config } from '../config/config-schema.ts';
import { modelKey } from '../config/model-key.ts';

/**
 * The one rule for which names the gateway may pull (on demand, `POST /v1/llm/{model}/pull` and an
 * enabled `/api/pull`): a model named in config (`models` or an alias target), or a name matching one of
 * `pullAllowed`. A pattern with `*` is a glob over the canonical name (`qwen3:*`, `*-embed-*`); a pattern
 * without one is a model name (`llama3.2` means `llama3.2:latest`). Matching ignores case, as Ollama does.
 */
export function isPullAllowed(name: string, config: Pick<Config, 'models' | 'aliases' | 'pullAllowed'>): boolean {
  const key = modelKey(name);
  const configured = [...Object.keys(config.models), ...Object.values(config.aliases)];
  if (configured.some((configuredName) => modelKey(configuredName) === key)) return true;
  return config.pullAllowed.some((pattern) => matchesPattern(pattern, key));
}

function matchesPattern(pattern: string, key: string): boolean {
  if (!pattern.includes('*')) return modelKey(pattern) === key;
  const source = pattern
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  const glob = new RegExp(`^${source}$`);
  // `*-embed-text` should match `nomic-embed-text:latest`: try the name with and without its default tag.
  return glob.test(key) || glob.test(key.replace(/:latest$/, ''));
}

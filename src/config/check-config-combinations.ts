import type { Config } from './config-schema.ts';

/** One problem of a config that passed the schema: the field's dotted path and why. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/**
 * The checks a field-by-field schema cannot make: values that are valid alone but not together
 * (two upstreams with one name, a fallback chain naming its own model, …).
 */
export function checkConfigCombinations(config: Config): ConfigProblem[] {
  return [...checkUpstreams(config), ...checkRouting(config), ...checkFallbacks(config)];
}

function checkUpstreams(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const names = new Set<string>();
  const urls = new Set<string>();
  config.upstreams.forEach((upstream, index) => {
    if (names.has(upstream.name)) problems.push({ path: `upstreams.${index}.name`, message: `the name \`${upstream.name}\` is used by another upstream` });
    names.add(upstream.name);
    const url = upstream.url.replace(/\/+$/, '');
    if (urls.has(url)) problems.push({ path: `upstreams.${index}.url`, message: `the url ${url} is used by another upstream` });
    urls.add(url);
    if (upstream.apiKey !== undefined && upstream.kind !== 'openai') {
      problems.push({ path: `upstreams.${index}.apiKey`, message: 'an apiKey is only sent to an upstream of kind `openai`' });
    }
  });
  if (!config.upstreams.some((upstream) => upstream.enabled)) problems.push({ path: 'upstreams', message: 'at least one upstream must be enabled' });
  return problems;
}

function checkRouting(config: Config): ConfigProblem[] {
  const { strategy, affinityKey } = config.routing;
  if (affinityKey !== undefined && strategy !== 'affinity') {
    return [{ path: 'routing.affinityKey', message: `only applies with strategy \`affinity\` (the strategy is \`${strategy}\`)` }];
  }
  return [];
}

function checkFallbacks(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [name, model] of Object.entries(config.models)) {
    if (model.fallbacks?.includes(name)) problems.push({ path: `models.${name}.fallbacks`, message: 'a model cannot be its own fallback' });
    if (model.spillAfterMs !== undefined && (model.fallbacks ?? []).length === 0) {
      problems.push({ path: `models.${name}.spillAfterMs`, message: 'needs `fallbacks` to spill to' });
    }
  }
  return problems;
}

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { canonicalModelName } from './model-key.ts';
import { checkConfigCombinations } from './check-config-combinations.ts';
import { configSchema, type Config } from './config-schema.ts';

/** Raised when the configuration is invalid; its message lists every problem at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface LoadConfigOptions {
  /** Path of a YAML or JSON file; absent means defaults plus environment. */
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/** Loads the optional file, applies environment overrides, validates, and deep-freezes the result. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const fromFile = options.file === undefined ? {} : readConfigFile(options.file);
  return buildConfig(applyEnvironment(fromFile, env));
}

/** Validates a raw config object and freezes it; throws ConfigError naming every bad field. */
export function buildConfig(raw: unknown): Config {
  const result = configSchema.safeParse(raw);
  const problems = [...(result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)), ...prototypeKeyProblems(raw)];
  if (!result.success || problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  // Limits are keyed by Ollama's canonical name, so `gemma3` in the file governs `gemma3:latest`.
  const models = toLookupRecord(
    Object.entries(result.data.models).map(([name, model]) => [
      canonicalModelName(name),
      model.fallbacks === undefined ? model : { ...model, fallbacks: model.fallbacks.map(canonicalModelName) },
    ] as const),
  );
  const config = { ...result.data, models, aliases: toLookupRecord(Object.entries(result.data.aliases)) };
  const combinations = checkConfigCombinations(config);
  if (combinations.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${combinations.map((problem) => `  - ${problem.path}: ${problem.message}`).join('\n')}`);
  }
  return deepFreeze(config);
}

/** The schema's records skip a `__proto__` key without a word; it cannot name a model, so say so. */
function prototypeKeyProblems(raw: unknown): string[] {
  const record = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return ['models', 'aliases'].filter((field) => {
    const names = Object.hasOwn(record, field) ? record[field] : undefined;
    return typeof names === 'object' && names !== null && Object.hasOwn(names, '__proto__');
  }).map((field) => `${field}.__proto__: \`__proto__\` cannot be a model or alias name`);
}

/**
 * A record without a prototype: clients choose the names these records are read with, and a name
 * such as `constructor` or `__proto__` must find nothing rather than a member of `Object.prototype`.
 */
function toLookupRecord<T>(entries: ReadonlyArray<readonly [string, T]>): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  for (const [name, value] of entries) record[name] = value;
  return record;
}

function readConfigFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) throw new ConfigError(`Config file not found: ${file}`);
  const parsed = readYamlOrJson(file, `Config file ${file}`);
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`Config file ${file} must hold a mapping at its top level`);
  return parsed as Record<string, unknown>;
}

/**
 * Every environment variable the gateway reads (`serve` and the config loader). Deployment examples
 * are checked against it, so a misspelt or unknown variable in a manifest is caught.
 */
export const ENVIRONMENT_VARIABLES = [
  'LLM_SIDECAR_CONFIG',
  'PORT',
  'HOST',
  'OLLAMA_URL',
  'REDIS_URL',
  'API_KEYS',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'LOG_BODIES',
  'METRICS_TOKEN',
  'CORS_ORIGINS',
  'BODY_LIMIT_BYTES',
  'LLM_SIDECAR_DATA_DIR',
] as const;

/** Reads a `.json` file as JSON and anything else as YAML; `label` starts the ConfigError when it is neither. */
export function readYamlOrJson(file: string, label: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read ${label.replace(/^Config file/, 'config file')}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${label} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Environment variables override the file; numbers and lists are parsed here so the schema sees typed values. */
function applyEnvironment(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const config: Record<string, unknown> = { ...raw };
  const listen = { ...(raw['listen'] as Record<string, unknown> | undefined) };
  if (env['PORT']) listen['port'] = parseNumber(env['PORT']);
  if (env['HOST']) listen['host'] = env['HOST'];
  if (Object.keys(listen).length > 0) config['listen'] = listen;
  if (env['OLLAMA_URL']) config['upstreams'] = upstreamsFromList(splitList(env['OLLAMA_URL']));
  if (env['REDIS_URL']) config['redisUrl'] = env['REDIS_URL'];
  if (env['API_KEYS'] !== undefined) config['apiKeys'] = splitList(env['API_KEYS']);
  if (env['LOG_LEVEL']) config['logLevel'] = env['LOG_LEVEL'];
  if (env['LOG_FORMAT']) config['logFormat'] = env['LOG_FORMAT'];
  if (env['LOG_BODIES']) config['logBodies'] = env['LOG_BODIES'] === 'true' || env['LOG_BODIES'] === '1';
  if (env['METRICS_TOKEN']) config['metricsToken'] = env['METRICS_TOKEN'];
  if (env['CORS_ORIGINS'] !== undefined) config['corsOrigins'] = splitList(env['CORS_ORIGINS']);
  if (env['LLM_SIDECAR_DATA_DIR']) config['dataDir'] = env['LLM_SIDECAR_DATA_DIR'];
  if (env['BODY_LIMIT_BYTES']) config['bodyLimitBytes'] = parseNumber(env['BODY_LIMIT_BYTES']);
  return config;
}

/** The YAML parser is loaded only when a YAML file is read: most deployments configure by environment. */
function parseYaml(text: string): unknown {
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yaml.parse(text);
}

/** One URL keeps the single upstream's name `local`; a list names its nodes `ollama-1`, `ollama-2`, … */
function upstreamsFromList(urls: string[]): Array<{ name: string; url: string }> {
  if (urls.length === 1) return [{ name: 'local', url: urls[0]! }];
  return urls.map((url, index) => ({ name: `ollama-${index + 1}`, url }));
}

function splitList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
}

function parseNumber(value: string): number | string {
  const number = Number(value);
  // Hand the original string to the schema when it is not a number, so its message names the field.
  return Number.isFinite(number) && value.trim() !== '' ? number : value;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

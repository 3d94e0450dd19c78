import { existsSync } from 'node:fs';
import type { Config } from '../config/config-schema.ts';
import { ConfigError, readYamlOrJson } from '../config/load-config.ts';
import { apiKeysFileSchema, ROUTE_SCOPES, type ApiKeyInput } from '../config/key-entry-schema.ts';
import { digestKey, KeyRing, type KeyIdentity } from './key-ring.ts';
import { compileModelGlobs } from './match-model-glob.ts';

interface SourcedKey {
  /** Where the entry came from, for error messages: `apiKeys[2]`, `apiKeysFile[0]`. */
  field: string;
  entry: ApiKeyInput;
}

/**
 * Combines `apiKeys` (which already holds `API_KEYS` from the environment) with the entries of
 * `apiKeysFile`. Plain strings get the names `key-1`, `key-2`, … in order. Duplicate names or keys
 * stop start-up (or a reload) with a message naming both fields — never the key.
 */
export function buildKeyRing(config: Pick<Config, 'apiKeys' | 'apiKeysFile'>): KeyRing {
  const sourced: SourcedKey[] = [
    ...config.apiKeys.map((entry, index) => ({ field: `apiKeys[${index}]`, entry })),
    ...(config.apiKeysFile === undefined ? [] : readKeysFile(config.apiKeysFile).map((entry, index) => ({ field: `apiKeysFile[${index}]`, entry }))),
  ];
  const byName = new Map<string, string>();
  const byDigest = new Map<string, string>();
  const problems: string[] = [];
  let unnamed = 0;
  const keys = sourced.map(({ field, entry }) => {
    const name = typeof entry === 'string' ? `key-${(unnamed += 1)}` : entry.name;
    const digest = typeof entry === 'string' ? digestKey(entry) : entry.key !== undefined ? digestKey(entry.key) : Buffer.from(entry.sha256!, 'hex');
    const hex = digest.toString('hex');
    const sameName = byName.get(name);
    if (sameName !== undefined) problems.push(`  - ${field}.name: "${name}" is also the name of ${sameName}`);
    const sameKey = byDigest.get(hex);
    if (sameKey !== undefined) problems.push(`  - ${field}${typeof entry === 'string' ? '' : entry.key === undefined ? '.sha256' : '.key'}: the same key as ${sameKey}`);
    byName.set(name, field);
    byDigest.set(hex, field);
    return { digest, identity: toIdentity(name, entry) };
  });
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return new KeyRing(keys);
}

function toIdentity(name: string, entry: ApiKeyInput): KeyIdentity {
  if (typeof entry === 'string') return { name, allowsModel: () => true, routes: new Set(ROUTE_SCOPES), limits: {} };
  const { models, routes, key: _key, sha256: _sha256, name: _name, ...limits } = entry;
  return {
    name,
    allowsModel: models === undefined ? () => true : compileModelGlobs(models),
    models,
    routes: new Set(routes ?? ROUTE_SCOPES),
    limits,
  };
}

function readKeysFile(file: string): ApiKeyInput[] {
  if (!existsSync(file)) throw new ConfigError(`apiKeysFile: ${file} does not exist`);
  const parsed = readYamlOrJson(file, `apiKeysFile ${file}`);
  const result = apiKeysFileSchema.safeParse(parsed ?? []);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  - apiKeysFile[${issue.path.join('.')}]: ${issue.message}`);
    throw new ConfigError(`Invalid keys file ${file}:\n${problems.join('\n')}`);
  }
  return result.data;
}

import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/config-schema.ts';

/**
 * Where the SQLite usage file lives: `usageDb`, else `usage.db` in `dataDir`, else in
 * `$XDG_DATA_HOME/llm-sidecar`, else `~/.local/share/llm-sidecar` (the XDG default).
 */
export function resolveUsageDbPath(config: Pick<Config, 'usageDb' | 'dataDir'>, env: NodeJS.ProcessEnv): string {
  if (config.usageDb !== undefined) return config.usageDb;
  const dataHome = env['XDG_DATA_HOME'] || join(homedir(), '.local', 'share');
  return join(config.dataDir ?? join(dataHome, 'llm-sidecar'), 'usage.db');
}

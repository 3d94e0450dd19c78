import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/load-config.ts';
import { serve } from '../main.ts';

/** `llm-sidecar serve [--config FILE]`: runs until SIGTERM/SIGINT; exit code 1 on an invalid config. */
export async function runServeCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string', short: 'c' } }, strict: true });
  // Node's own loader; variables already set in the environment win over the file.
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    await serve({ configFile: values.config, handleSignals: true });
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

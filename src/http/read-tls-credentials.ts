import { readFileSync } from 'node:fs';
import type { Config } from '../config/config-schema.ts';
import { ConfigError } from '../config/load-config.ts';

/** The PEM certificate (chain) and private key named by `tls`, read now (at start-up and on SIGHUP). */
export function readTlsCredentials(tls: NonNullable<Config['tls']>): { cert: Buffer; key: Buffer } {
  const read = (field: 'cert' | 'key'): Buffer => {
    try {
      return readFileSync(tls[field]);
    } catch (error) {
      throw new ConfigError(`tls.${field}: ${tls[field]} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  };
  return { cert: read('cert'), key: read('key') };
}

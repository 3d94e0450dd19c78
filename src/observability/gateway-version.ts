import { createRequire } from 'node:module';

/** The package's version; works in `src/observability` and `dist/observability` alike (both two levels below the package). */
export const gatewayVersion = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

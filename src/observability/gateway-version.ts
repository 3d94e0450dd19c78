import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPackageRoot } from '../package-root.ts';

/** The package's version, from the `package.json` above this file (sources and bundle alike). */
export const gatewayVersion = (JSON.parse(readFileSync(join(findPackageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseBenchmarkArgs } from '../../bench/parse-benchmark-args.ts';
import { gatewayRuntimeFlags } from '../../src/cli/runtime-flags.ts';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test('npm start, the bin, the Docker image and the benchmark run the gateway with the same V8 flags', () => {
  assert.ok(gatewayRuntimeFlags.length > 0);
  const flags = gatewayRuntimeFlags.join(' ');
  const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['start'] ?? '';
  assert.ok(start.includes(`&& node ${flags} dist/cli/main.js serve`), `npm start: ${start}`);
  const shebang = read('src/cli/main.ts').split('\n', 1)[0];
  assert.equal(shebang, `#!/usr/bin/env -S node ${flags}`);
  const command = /^CMD (\[.*\])$/m.exec(read('Dockerfile'))?.[1] ?? '[]';
  assert.deepEqual(JSON.parse(command), ['node', ...gatewayRuntimeFlags, 'dist/cli/main.js', 'serve']);
  assert.deepEqual(parseBenchmarkArgs([]).gatewayNodeArguments, gatewayRuntimeFlags);
});

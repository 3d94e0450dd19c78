import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { ENVIRONMENT_VARIABLES, loadConfig } from '../../src/config/load-config.ts';
import { resolveMinFreeMemoryBytes } from '../../src/scheduler/resource-floor.ts';
import type { Config } from '../../src/config/config-schema.ts';

const examples = new URL('../../examples/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, examples), 'utf8');
const source = (path: string): string => readFileSync(new URL(`../../src/${path}`, import.meta.url), 'utf8');

/** Peak RSS measured with 256 and 1,000 open streams (BENCHMARKS.md, "Peak RSS ... fresh process"), rounded up. */
const PEAK_RSS_BYTES = 330 * 1024 ** 2;
/** A request's default `memoryCost` (`small`). */
const SMALL_MEMORY_COST_BYTES = 64 * 1024 ** 2;

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet?: { path: string; port: number | string };
}
interface Container {
  name: string;
  env?: EnvVar[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { limits?: { memory?: string } };
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: { template?: { spec?: { containers?: Container[] } } };
}

function parseMemory(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  assert.ok(match, `memory quantity ${quantity}`);
  return Number(match[1]) * 1024 ** (match[2] === 'Gi' ? 3 : 2);
}

/** The gateway's config as the container would load it: the ConfigMap's file, overridden by the plain env values. */
function configInPod(manifests: Manifest[], sidecar: Container): Config {
  const folder = mkdtempSync(join(tmpdir(), 'llm-sidecar-k8s-'));
  const file = join(folder, 'llm-sidecar.yaml');
  writeFileSync(file, manifests.find((manifest) => manifest.kind === 'ConfigMap')?.data?.['llm-sidecar.yaml'] ?? '{}');
  const env = Object.fromEntries((sidecar.env ?? []).filter((variable) => variable.value !== undefined).map((variable) => [variable.name, variable.value]));
  // The Secret's value stands in for secretKeyRef: the manifest's placeholder key.
  for (const variable of sidecar.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref !== undefined) env[variable.name] = manifests.find((manifest) => manifest.kind === 'Secret' && manifest.metadata.name === ref.name)?.stringData?.[ref.key];
  }
  return loadConfig({ file, env });
}

describe('the gateway reads exactly the environment variables it lists', () => {
  test('ENVIRONMENT_VARIABLES is what serve and the config loader read', () => {
    const names = new Set([...`${source('config/load-config.ts')}\n${source('main.ts')}`.matchAll(/env\['([A-Z_]+)'\]/g)].map((match) => match[1] ?? ''));
    assert.deepEqual(new Set(ENVIRONMENT_VARIABLES), names);
  });
});

for (const file of ['kubernetes-sidecar.yaml', 'kubernetes-sidecar-redis.yaml']) {
  describe(`examples/${file}`, () => {
    const manifests = parseAllDocuments(read(file)).map((document) => document.toJS() as Manifest);
    const containers = manifests.flatMap((manifest) => manifest.spec?.template?.spec?.containers ?? []);
    const sidecar = containers.find((container) => container.name === 'llm-sidecar');
    assert.ok(sidecar);
    const config = configInPod(manifests, sidecar);

    test('probes reach the gateway: it listens beyond loopback, on the probed port', () => {
      assert.equal(config.listen.host, '0.0.0.0', 'kubelet probes the pod IP, not 127.0.0.1');
      for (const probe of [sidecar.readinessProbe, sidecar.livenessProbe]) {
        assert.equal(Number(probe?.httpGet?.port), config.listen.port);
      }
      assert.equal(sidecar.readinessProbe?.httpGet?.path, '/readyz');
      assert.equal(sidecar.livenessProbe?.httpGet?.path, '/healthz');
    });

    test('the memory limit leaves the admission floor free at peak use', () => {
      const limit = parseMemory(sidecar.resources?.limits?.memory ?? '');
      const floor = resolveMinFreeMemoryBytes(config.resources.minFreeMemoryBytes, limit);
      assert.ok(limit - PEAK_RSS_BYTES - SMALL_MEMORY_COST_BYTES > floor, `limit ${limit} − peak − cost must stay above the floor ${floor}`);
      assert.ok((PEAK_RSS_BYTES + SMALL_MEMORY_COST_BYTES) / limit < config.resources.maxMemoryFraction);
    });

    test('every environment variable set on the gateway is one it reads', () => {
      for (const variable of sidecar.env ?? []) assert.ok((ENVIRONMENT_VARIABLES as readonly string[]).includes(variable.name), variable.name);
    });

    test('the API key comes from a Secret in the file, and the app gets the same one', () => {
      const keys = sidecar.env?.find((variable) => variable.name === 'API_KEYS');
      const ref = keys?.valueFrom?.secretKeyRef;
      assert.ok(ref, 'API_KEYS from a secretKeyRef');
      assert.ok(manifests.some((manifest) => manifest.kind === 'Secret' && manifest.metadata.name === ref.name && manifest.stringData?.[ref.key] !== undefined));
      const app = containers.find((container) => container.name === 'app');
      assert.deepEqual(app?.env?.find((variable) => variable.name === 'OPENAI_API_KEY')?.valueFrom?.secretKeyRef, ref);
      assert.ok(config.apiKeys.length > 0);
    });

    test('Redis, when set, is a Service defined in the same file', () => {
      if (config.redisUrl === undefined) return;
      const host = new URL(config.redisUrl).hostname;
      assert.ok(manifests.some((manifest) => manifest.kind === 'Service' && manifest.metadata.name === host), `a Service named ${host}`);
    });
  });
}

test('only the Redis variant sets REDIS_URL', () => {
  assert.doesNotMatch(read('kubernetes-sidecar.yaml'), /REDIS_URL/);
  assert.match(read('kubernetes-sidecar-redis.yaml'), /REDIS_URL/);
});

describe('examples/docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, { env_file?: Array<{ path: string; required: boolean }>; environment?: Record<string, string>; entrypoint?: string[]; deploy?: unknown }> };
  const gateway = compose.services['llm-sidecar'];

  test('keys are on by default: API_KEYS comes from a required env file, whose example sets one', () => {
    assert.deepEqual(gateway?.env_file, [{ path: './llm-sidecar.env', required: true }]);
    assert.match(read('llm-sidecar.env.example'), /^API_KEYS=\S+$/m);
  });

  test('the gateway listens beyond loopback (the port is published) and reads only known variables', () => {
    assert.equal(gateway?.environment?.['HOST'], '0.0.0.0');
    const fromFile = [...read('llm-sidecar.env.example').matchAll(/^#?\s*([A-Z_]+)=/gm)].map((match) => match[1] ?? '');
    for (const name of [...Object.keys(gateway?.environment ?? {}), ...fromFile]) assert.ok((ENVIRONMENT_VARIABLES as readonly string[]).includes(name), name);
  });

  test('a one-shot service pulls a model, and the GPU reservation is shown', () => {
    assert.deepEqual(compose.services['ollama-pull']?.entrypoint, ['ollama', 'pull']);
    assert.match(read('docker-compose.yml'), /devices: \[ \{ driver: nvidia, count: all, capabilities: \[ gpu \] \} \]/);
  });
});

describe('examples/llm-sidecar.service', () => {
  const unit = read('llm-sidecar.service');

  test('settings come from an EnvironmentFile, never inline Environment= lines', () => {
    assert.match(unit, /^EnvironmentFile=\/etc\/llm-sidecar\/env$/m);
    assert.doesNotMatch(unit, /^Environment=/m);
  });

  test("runs the project's own Node 24, not whatever node is on the PATH", () => {
    assert.match(unit, /^ExecStart=\/opt\/llm-sidecar\/node_modules\/\.bin\/node .*\/opt\/llm-sidecar\/dist\/cli\/main\.js serve/m);
  });
});

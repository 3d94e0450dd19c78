import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/load-config.ts';

const example = (name: string): string => new URL(`../../examples/${name}`, import.meta.url).pathname;

test('the Kubernetes pool example lists one upstream per pod of a headless Service', () => {
  const documents = parseAllDocuments(readFileSync(example('kubernetes-ollama-pool.yaml'), 'utf8')).map((document) => document.toJSON() as { kind: string; spec?: { clusterIP?: string }; data?: Record<string, string> });
  assert.equal(documents.find((document) => document.kind === 'Service')?.spec?.clusterIP, 'None');
  const text = documents.find((document) => document.kind === 'ConfigMap')?.data?.['llm-sidecar.yaml'];
  assert.ok(text);
  const file = `${process.env['TMPDIR'] ?? '/tmp'}/llm-sidecar-pool-example-${process.pid}.yaml`;
  writeFileSync(file, text);
  const config = loadConfig({ file, env: {} });
  assert.deepEqual(config.upstreams.map((upstream) => upstream.name), ['ollama-0', 'ollama-1']);
});

test('the multi-node compose example makes a pool of two Ollama services', () => {
  const compose = parse(readFileSync(example('docker-compose.multi-node.yml'), 'utf8')) as { services: Record<string, { environment?: Record<string, string> }> };
  const env = compose.services['llm-sidecar']?.environment ?? {};
  const config = loadConfig({ env: { OLLAMA_URL: env['OLLAMA_URL'] } });
  assert.deepEqual(config.upstreams.map((upstream) => upstream.url), ['http://ollama-gpu0:11434', 'http://ollama-gpu1:11434']);
  assert.ok(compose.services['ollama-gpu0'] && compose.services['ollama-gpu1']);
});

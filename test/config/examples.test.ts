import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load-config.ts';

const example = (name: string): string => new URL(`../../examples/${name}`, import.meta.url).pathname;

test('the example config is valid', () => {
  const config = loadConfig({ file: example('llm-sidecar.yaml'), env: {} });
  assert.equal(config.models['qwen3:latest']?.maxConcurrent, 1);
  assert.equal(config.aliases['gpt-4o-mini'], 'llama3.2');
});

test('the config inside the Kubernetes example is valid', () => {
  const documents = readFileSync(example('kubernetes-sidecar.yaml'), 'utf8').split(/^---$/m).map((text) => parse(text) as { kind: string; data?: Record<string, string> });
  const configMap = documents.find((document) => document.kind === 'ConfigMap');
  const text = configMap?.data?.['llm-sidecar.yaml'];
  assert.ok(text);
  assert.doesNotThrow(() => loadConfig({ file: writeTemporary(text), env: {} }));
});

function writeTemporary(text: string): string {
  const path = `${process.env['TMPDIR'] ?? '/tmp'}/llm-sidecar-example-${process.pid}.yaml`;
  writeFileSync(path, text);
  return path;
}

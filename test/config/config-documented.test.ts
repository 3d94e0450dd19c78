import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { configSchema, modelConfigSchema, modelLimitsSchema } from '../../src/config/config-schema.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test('README documents every config field', () => {
  const fields = [...Object.keys(configSchema.shape), ...Object.keys(modelConfigSchema.shape), ...Object.keys(modelLimitsSchema.shape)];
  const missing = [...new Set(fields)].filter((field) => !readme.includes(`\`${field}\``) && !readme.includes(`${field}:`) && !readme.includes(`.${field}\``));
  assert.deepEqual(missing, []);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPullAllowed } from '../../src/models/pull-allow-list.ts';

const config = (pullAllowed: string[], models: Record<string, object> = {}, aliases: Record<string, string> = {}) => ({ pullAllowed, models, aliases });

test('configured models and alias targets may be pulled; nothing else by default', () => {
  const withModels = config([], { 'gemma3:latest': {} }, { fast: 'llama3.2:3b' });
  assert.equal(isPullAllowed('gemma3', withModels), true);
  assert.equal(isPullAllowed('gemma3:latest', withModels), true);
  assert.equal(isPullAllowed('llama3.2:3b', withModels), true);
  assert.equal(isPullAllowed('llama3.2', withModels), false);
  assert.equal(isPullAllowed('gemma3:27b', withModels), false);
});

test('exact names mean their canonical form; globs match with or without the default tag; case is ignored', () => {
  const allowed = config(['llama3.2', 'qwen3:*', '*-embed-text', 'hf.co/acme/*']);
  assert.equal(isPullAllowed('llama3.2:latest', allowed), true);
  assert.equal(isPullAllowed('Llama3.2', allowed), true);
  assert.equal(isPullAllowed('llama3.2:1b', allowed), false);
  assert.equal(isPullAllowed('qwen3:0.6b', allowed), true);
  assert.equal(isPullAllowed('qwen3', allowed), true);
  assert.equal(isPullAllowed('qwen30', allowed), false);
  assert.equal(isPullAllowed('nomic-embed-text', allowed), true);
  assert.equal(isPullAllowed('hf.co/acme/model:Q4_K_M', allowed), true);
  assert.equal(isPullAllowed('hf.co/other/model', allowed), false);
});

test('regex characters in patterns are literal', () => {
  const allowed = config(['llama3.2:*']);
  assert.equal(isPullAllowed('llama3x2:1b', allowed), false);
});

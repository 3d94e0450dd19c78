import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { buildConfig, ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { serve } from '../../src/main.ts';
import { parsePriority } from '../../src/http/parse-priority.ts';
import { buildKeyRing } from '../../src/keys/build-key-ring.ts';
import { compileModelGlobs } from '../../src/keys/match-model-glob.ts';

const sha256 = (key: string): string => createHash('sha256').update(key).digest('hex');
const tempFile = (name: string, text: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'keys-')), name);
  writeFileSync(file, text);
  return file;
};

describe('buildKeyRing', () => {
  test('combines apiKeys, API_KEYS and apiKeysFile; plain keys are named key-1, key-2…', () => {
    const file = tempFile('keys.yaml', `- { name: team-b, sha256: ${sha256('sk-b')}, models: [qwen3] }\n- sk-plain-in-file\n`);
    const config = loadConfig({ env: { API_KEYS: 'sk-env-1,sk-env-2' } });
    const ring = buildKeyRing({ ...config, apiKeysFile: file });
    assert.deepEqual(ring.names(), ['key-1', 'key-2', 'team-b', 'key-3']);
    assert.equal(ring.find('sk-env-2')?.name, 'key-2');
    assert.equal(ring.find('sk-b')?.name, 'team-b', 'a hashed entry matches its key');
    assert.equal(ring.find(sha256('sk-b')), undefined, 'the digest itself is not a key');
    assert.equal(ring.find('sk-plain-in-file')?.name, 'key-3');
    assert.equal(ring.find('sk-b')?.allowsModel('qwen3:latest'), true);
    assert.equal(ring.find('sk-b')?.allowsModel('llama3.2:latest'), false);
    assert.equal(ring.find('sk-env-1')?.routes.has('admin'), true, 'a plain key has every scope');
  });

  test('duplicate names or keys stop start-up naming both fields, never the key', () => {
    const duplicateName = buildConfig({ apiKeys: [{ name: 'a', key: 'sk-1' }, { name: 'a', key: 'sk-2' }] });
    assert.throws(() => buildKeyRing(duplicateName), /apiKeys\[1\]\.name: "a" is also the name of apiKeys\[0\]/);
    const file = tempFile('keys.json', JSON.stringify([{ name: 'b', sha256: sha256('sk-secret-1') }]));
    const duplicateKey = buildConfig({ apiKeys: ['sk-secret-1'], apiKeysFile: file });
    assert.throws(() => buildKeyRing(duplicateKey), (error: Error) => /apiKeysFile\[0\]\.sha256: the same key as apiKeys\[0\]/.test(error.message) && !error.message.includes('sk-secret-1'));
  });

  test('a bad entry in the file names its field', () => {
    const file = tempFile('keys.yaml', '- { name: x, key: sk-1, rpm: -1 }\n');
    assert.throws(() => buildKeyRing(buildConfig({ apiKeysFile: file })), /apiKeysFile\[0\.rpm\]/);
    assert.throws(() => buildKeyRing(buildConfig({ apiKeysFile: '/nonexistent/keys.yaml' })), /apiKeysFile: \/nonexistent\/keys.yaml does not exist/);
    assert.throws(() => buildConfig({ apiKeys: [{ name: 'both', key: 'k', sha256: sha256('k') }] }), /exactly one of `key` and `sha256`/);
    assert.throws(() => buildConfig({ apiKeys: [{ name: 'p', key: 'k', priority: 1, maxPriority: 3 }] }), /apiKeys\.0\.priority/);
  });
});

describe('serve with keys', () => {
  test('a usage database that cannot be opened stops start-up naming usageDb', async () => {
    const blocker = tempFile('not-a-folder', 'x');
    await assert.rejects(
      serve({ env: { PORT: '0', API_KEYS: 'sk-1', OLLAMA_URL: 'http://127.0.0.1:9' }, configFile: tempFile('config.json', JSON.stringify({ logLevel: 'silent', usageDb: join(blocker, 'usage.db') })) }),
      (error: Error) => error instanceof ConfigError && /^usageDb: the usage database .* cannot be opened/.test(error.message),
    );
  });
});

describe('model globs', () => {
  test('match canonical names, the untagged spelling of :latest, case-insensitively', () => {
    const allows = compileModelGlobs(['llama3.2', 'qwen3:*', 'hf.co/org/*', 'gemma?']);
    assert.equal(allows('llama3.2:latest'), true);
    assert.equal(allows('llama3.2:1b'), false);
    assert.equal(allows('qwen3:0.6b'), true);
    assert.equal(allows('hf.co/org/model:q4'), true);
    assert.equal(allows('Gemma3:latest'), true);
    assert.equal(allows('llama3x2:latest'), false, 'a dot is a dot');
  });
});

describe('parsePriority with key limits', () => {
  test("absent means the key's default; less urgent is free; more urgent stops at maxPriority", () => {
    assert.equal(parsePriority(undefined), 5);
    assert.equal(parsePriority(undefined, { priority: 7 }), 7);
    assert.equal(parsePriority('9', { priority: 7, maxPriority: 4 }), 9);
    assert.equal(parsePriority('4', { priority: 7, maxPriority: 4 }), 4);
    assert.throws(() => parsePriority('3', { priority: 7, maxPriority: 4 }), (error: { status: number; code: string }) => error.status === 403 && error.code === 'insufficient_permissions');
    assert.equal(parsePriority('0'), 0, 'without a cap any class');
  });
});

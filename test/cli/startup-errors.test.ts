import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { describe, test } from 'node:test';
import { describeStartupError } from '../../src/cli/describe-startup-error.ts';
import { runCliToEnd } from './cli-process.ts';

const STACK_FRAME = /^\s+at /m;

/** `serve` must fail at once with exactly one line on stderr and exit code 1. */
async function assertOneLineFailure(env: Record<string, string>, args: string[], expected: RegExp): Promise<void> {
  const run = await runCliToEnd(['serve', ...args], { env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env } });
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.doesNotMatch(run.stderr, STACK_FRAME);
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0] ?? '', expected);
}

function writeScratch(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'llm-sidecar-startup-')), name);
  writeFileSync(path, text);
  return path;
}

describe('start-up failures a user can cause', () => {
  test('a port in use names the port and the address and how to change it', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as AddressInfo;
    try {
      await assertOneLineFailure({ PORT: String(port) }, [], new RegExp(`^llm-sidecar: port ${port} is in use on 127\\.0\\.0\\.1; set PORT or listen\\.port$`));
    } finally {
      blocker.close();
    }
  });

  test('a listen host that is not an address of this machine', async () => {
    // 192.0.2.0/24 is reserved for documentation: never a local address.
    await assertOneLineFailure({ HOST: '192.0.2.1' }, [], /^llm-sidecar: 192\.0\.2\.1 is not an address of this machine; set HOST or listen\.host$/);
  });

  test('a config file that does not exist', async () => {
    await assertOneLineFailure({}, ['--config', '/nonexistent/llm-sidecar.yaml'], /^llm-sidecar: Config file not found: \/nonexistent\/llm-sidecar\.yaml$/);
  });

  test('a config path that cannot be read as a file', async () => {
    await assertOneLineFailure({}, ['--config', tmpdir()], /^llm-sidecar: Cannot read config file .*: EISDIR$/);
  });

  test('a config file that is not valid YAML gives the parser\'s first line', async () => {
    await assertOneLineFailure({}, ['--config', writeScratch('bad.yaml', 'listen: [\n')], /^llm-sidecar: Config file .*bad\.yaml is not valid YAML: /);
  });

  test('an invalid config names every bad field (one message, one line per field)', async () => {
    const run = await runCliToEnd(['serve', '--config', writeScratch('c.json', JSON.stringify({ listen: { port: 'x' }, defaults: { maxQueue: -1 } }))], { env: { LOG_LEVEL: 'silent' } });
    assert.equal(run.code, 1);
    assert.doesNotMatch(run.stderr, STACK_FRAME);
    assert.match(run.stderr, /^llm-sidecar: Invalid configuration:\n {2}- listen\.port: .*\n {2}- defaults\.maxQueue: /);
  });

  test('a Redis that cannot be reached', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    // A port that was free a moment ago and is closed now refuses the connection.
    await new Promise((resolve) => closed.close(resolve));
    await assertOneLineFailure({ REDIS_URL: `redis://127.0.0.1:${port}` }, [], new RegExp(`^llm-sidecar: REDIS_URL is set but Redis at redis://127\\.0\\.0\\.1:${port} cannot be reached: `));
  });

  test('TLS files that are not a certificate and a key', async () => {
    const cert = writeScratch('cert.pem', '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n');
    const key = writeScratch('key.pem', 'not a key\n');
    await assertOneLineFailure({}, ['--config', writeScratch('tls.json', JSON.stringify({ tls: { cert, key } }))], /^llm-sidecar: the TLS certificate or key is not usable: /);
  });

  test('a TLS file that is missing names the field and the file', async () => {
    const config = writeScratch('tls.json', JSON.stringify({ tls: { cert: '/nonexistent/cert.pem', key: '/nonexistent/key.pem' } }));
    await assertOneLineFailure({}, ['--config', config], /^llm-sidecar: tls\.cert: \/nonexistent\/cert\.pem cannot be read: ENOENT$/);
  });

  test('a TLS certificate OpenSSL cannot read is described, not thrown', () => {
    let failure: unknown;
    try {
      createSecureContext({ cert: '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n' });
    } catch (error) {
      failure = error;
    }
    assert.ok(failure instanceof Error);
    assert.match(describeStartupError(failure) ?? '', /^the TLS certificate or key is not usable: /);
  });

  test('a certificate file that is missing names the file', () => {
    const failure = Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT', syscall: 'open', path: '/etc/ssl/gateway.pem' });
    assert.equal(describeStartupError(failure), 'cannot read /etc/ssl/gateway.pem: no such file');
  });

  test('anything else is not described, so its stack trace is kept', () => {
    assert.equal(describeStartupError(new TypeError('x is not a function')), undefined);
    assert.equal(describeStartupError(Object.assign(new Error('connect'), { code: 'ECONNRESET' })), undefined);
  });
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { Agent, fetch as undiciFetch } from 'undici';
import { serve, type RunningGateway } from '../../src/main.ts';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';

const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const missing = openssl.error === undefined ? null : 'the openssl CLI is not installed: it makes the test certificates';
if (missing !== null && process.env['CI'] === 'true') throw new Error(missing);

/** A self-signed certificate for 127.0.0.1 and localhost, made now (valid one day). */
function makeCertificate(folder: string, name: string): { cert: string; key: string } {
  const cert = join(folder, `${name}.crt`);
  const key = join(folder, `${name}.key`);
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  return { cert, key };
}

/** The certificate the server presents on a new connection. */
function presentedCommonName(url: string, ca: Buffer[]): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ca, servername: 'localhost' }, () => {
      const subject = socket.getPeerCertificate().subject as unknown as { CN: string };
      socket.end();
      resolve(subject.CN);
    });
    socket.once('error', reject);
  });
}

describe('TLS', { skip: missing ?? false }, () => {
  let folder: string;
  let sim: Simulator;
  let gateway: RunningGateway;
  let first: { cert: string; key: string };
  const configFile = (): string => join(folder, 'config.json');

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'llm-sidecar-tls-'));
    first = makeCertificate(folder, 'first');
    sim = await startSimulator();
    writeFileSync(configFile(), JSON.stringify({ logLevel: 'silent', resources: { enabled: false }, apiKeys: ['sk-tls'], tls: first }));
    gateway = await serve({ configFile: configFile(), handleSignals: true, env: { PORT: '0', HOST: '127.0.0.1', OLLAMA_URL: sim.url, LLM_SIDECAR_DATA_DIR: folder } });
  });
  after(async () => {
    await gateway.shutdown();
    await sim.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('serves HTTPS to the openai SDK trusting the certificate as its CA', async () => {
    assert.match(gateway.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const dispatcher = new Agent({ connect: { ca: readFileSync(first.cert) } });
    const client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: 'sk-tls',
      maxRetries: 0,
      fetch: ((url: string, init: RequestInit) => undiciFetch(url, { ...(init as object), dispatcher })) as never,
    });
    const completion = await client.chat.completions.create({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(completion.object, 'chat.completion');
    await assert.rejects(fetch(`${gateway.url}/healthz`), 'an untrusted certificate is refused by a client without the CA');
    await dispatcher.close();
  });

  test('SIGHUP re-reads the certificate: new connections get the new one', async () => {
    const second = makeCertificate(folder, 'second');
    const ca = [readFileSync(first.cert), readFileSync(second.cert)];
    assert.equal(await presentedCommonName(gateway.url, ca), 'first');
    writeFileSync(configFile(), JSON.stringify({ logLevel: 'silent', resources: { enabled: false }, apiKeys: ['sk-tls'], tls: second }));
    process.emit('SIGHUP');
    assert.equal(await presentedCommonName(gateway.url, ca), 'second');
  });
});

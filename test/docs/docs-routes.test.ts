import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { parse } from 'yaml';
import { createApp, type GatewayApp } from '../../src/app.ts';
import { buildConfig } from '../../src/config/load-config.ts';
import { DOCS_ASSETS_PATH, loadOpenApiDocument } from '../../src/http/routes/docs.ts';

/** Content-Security-Policy → directive name → its sources. */
function directivesOf(policy: string | null): Map<string, string[]> {
  return new Map((policy ?? '').split(';').map((part) => part.trim().split(/\s+/)).filter((parts) => parts[0] !== '').map(([name, ...sources]) => [name!, sources]));
}

/** The paths the README lists after "exactly these routes answer without one:", up to the end of that sentence. */
function readmeOpenRoutes(): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const sentence = readme.match(/exactly these routes answer without one: ([\s\S]*?)\.\n/)?.[1] ?? '';
  return [...sentence.matchAll(/`(?:GET )?(\/[^`]*)`/g)].map((match) => match[1] ?? '');
}

describe('/openapi.yaml, /openapi.json and /docs', () => {
  let gateway: GatewayApp;
  let server: Server;
  let url: string;

  before(async () => {
    // Keys on: the documentation must still be reachable without one. Ollama is never called here.
    const config = buildConfig({ apiKeys: ['sk-docs'], upstreams: [{ name: 'local', url: 'http://127.0.0.1:9' }] });
    gateway = createApp({ config, logger: pino({ level: 'silent' }) });
    server = createServer(gateway.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await gateway.close();
  });

  test('/openapi.json and /openapi.yaml serve the bundled document, without a key', async () => {
    const expected = loadOpenApiDocument();
    const json = await fetch(`${url}/openapi.json`);
    assert.equal(json.status, 200);
    assert.match(json.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await json.json(), expected);
    const yaml = await fetch(`${url}/openapi.yaml`);
    assert.equal(yaml.status, 200);
    assert.match(yaml.headers.get('content-type') ?? '', /^application\/yaml/);
    assert.deepEqual(parse(await yaml.text()), expected);
  });

  test('every $ref of the served document resolves inside it', async () => {
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as Record<string, unknown>;
    const references = [...JSON.stringify(document).matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1]!);
    assert.ok(references.length > 50);
    for (const reference of new Set(references)) {
      assert.ok(reference.startsWith('#/'), reference);
      let node: unknown = document;
      for (const part of reference.slice(2).split('/')) node = (node as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
      assert.notEqual(node, undefined, `${reference} does not resolve`);
    }
  });

  test('/docs is Swagger UI from the installed package, with a CSP that lets it run and nothing else', async () => {
    const page = await fetch(`${url}/docs`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    assert.match(html, /<div id="swagger-ui">/);
    assert.doesNotMatch(html, /https?:\/\//, 'the page loads nothing from another origin');
    assert.doesNotMatch(html, /<script>(?!<)/, 'no inline script');
    const csp = directivesOf(page.headers.get('content-security-policy'));
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.deepEqual(csp.get('connect-src'), ["'self'"]);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
    for (const asset of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const response = await fetch(`${url}${asset[1]}`);
      assert.equal(response.status, 200, asset[1]);
      assert.ok(Number(response.headers.get('content-length') ?? (await response.arrayBuffer()).byteLength) > 0, asset[1]);
    }
  });

  test('only the Swagger UI files the page needs are served from the package', async () => {
    for (const file of ['package.json', 'index.html', 'swagger-initializer.js', '..%2Fpackage.json']) {
      const response = await fetch(`${url}${DOCS_ASSETS_PATH}/${file}`);
      assert.ok(response.status === 404 || response.status === 401, `${file}: ${response.status}`);
      assert.equal(typeof ((await response.json()) as { error: { message: string } }).error.message, 'string');
    }
  });

  test('the API keeps its own CSP and its keys', async () => {
    const models = await fetch(`${url}/v1/models`);
    assert.equal(models.status, 401);
    assert.deepEqual(directivesOf(models.headers.get('content-security-policy')).get('default-src'), ["'none'"]);
    assert.equal(directivesOf(models.headers.get('content-security-policy')).get('script-src'), undefined);
  });

  test('with keys on, exactly the routes README lists answer without one', async () => {
    const routes = readmeOpenRoutes();
    assert.deepEqual(routes, ['/', '/healthz', '/readyz', '/docs', '/openapi.yaml', '/openapi.json']);
    for (const route of routes) {
      const response = await fetch(`${url}${route}`);
      assert.notEqual(response.status, 401, route);
      await response.body?.cancel();
    }
    for (const route of ['/v1/models', '/v1/status', '/metrics', '/api/tags', '/v1/no-such-route']) {
      const response = await fetch(`${url}${route}`);
      assert.equal(response.status, 401, route);
      await response.body?.cancel();
    }
  });
});

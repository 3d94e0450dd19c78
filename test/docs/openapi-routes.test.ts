import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { createApp, type GatewayApp } from '../../src/app.ts';
import { buildConfig } from '../../src/config/load-config.ts';
import { DOCS_ASSETS_PATH, loadOpenApiDocument } from '../../src/http/routes/docs.ts';
import { STATUS_PAGE_ASSETS_PATH } from '../../src/http/routes/status-page.ts';
import { SpecChecker } from './spec-checker.ts';

/** Ollama's native API is one documented entry, whichever `/api/...` routes the app registers for it. */
const PASSTHROUGH_TEMPLATE = '/api/{path}';

/** `/api/chat` or `/api/*rest` → `/api/{path}`; other paths unchanged. */
const documentedTemplateOf = (template: string): string => (template.startsWith('/api/') ? PASSTHROUGH_TEMPLATE : template);

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  rawPath?: unknown;
  handle: { stack?: Layer[] };
}

/** `/v1/models/*model` and `/x/:id` → OpenAPI's `{model}` and `{id}`. */
const toTemplate = (path: string): string => path.replace(/[:*](\w+)/g, '{$1}');

/** Every METHOD + path the Express 5 app registers, nested routers included; `use` mounts as `PREFIX/{path}`. */
function registeredOperations(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route !== undefined) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      const methods = Object.keys(layer.route.methods).filter((method) => method !== '_all');
      return paths.flatMap((path) => methods.map((method) => `${method.toUpperCase()} ${toTemplate(prefix + path)}`));
    }
    const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    if (layer.handle.stack !== undefined) return registeredOperations(layer.handle.stack, prefix + mount);
    // A middleware mounted on a path (a proxy) serves every method under it.
    return mount === '' ? [] : [`* ${prefix}${mount}/{path}`];
  });
}

describe('openapi.yaml and the routes the app registers', () => {
  let gateway: GatewayApp;
  const checker = new SpecChecker(loadOpenApiDocument());
  const documented = new Set(checker.operations().map(({ method, template }) => `${method} ${template}`));
  let registered: Set<string>;

  before(() => {
    const config = buildConfig({ upstreams: [{ name: 'local', url: 'http://127.0.0.1:9' }] });
    gateway = createApp({ config, logger: pino({ level: 'silent' }) });
    const router = (gateway.app as unknown as { router: { stack: Layer[] } }).router;
    const isAsset = (path: string): boolean => path.startsWith(`${DOCS_ASSETS_PATH}/`) || path.startsWith(`${STATUS_PAGE_ASSETS_PATH}/`);
    registered = new Set(registeredOperations(router.stack).filter((operation) => !isAsset(operation.split(' ')[1]!)));
  });
  after(() => gateway.close());

  test('the walk finds the routes (so the checks below are not vacuous)', () => {
    for (const operation of ['POST /v1/chat/completions', 'GET /v1/models/{model}', 'GET /healthz', 'GET /openapi.json', 'GET /docs']) assert.ok(registered.has(operation), operation);
  });

  test('every route the app registers is documented', () => {
    const undocumented = [...registered].filter((operation) => {
      const [method, template] = operation.split(' ') as [string, string];
      const documentedTemplate = documentedTemplateOf(template);
      if (method === '*' || documentedTemplate === PASSTHROUGH_TEMPLATE) return ![...documented].some((entry) => entry.endsWith(` ${documentedTemplate}`));
      return !documented.has(`${method} ${documentedTemplate}`);
    });
    assert.deepEqual(undocumented, []);
  });

  test('every documented operation is served', () => {
    const servedOperations = new Set([...registered].map((operation) => {
      const [method, template] = operation.split(' ') as [string, string];
      return `${method} ${documentedTemplateOf(template)}`;
    }));
    const missing = [...documented].filter((operation) => !servedOperations.has(operation) && !servedOperations.has(`* ${operation.split(' ')[1]}`));
    assert.deepEqual(missing, []);
  });
});

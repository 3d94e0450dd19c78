import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import express, { type Router } from 'express';
import helmet from 'helmet';
import { findPackageRoot } from '../../package-root.ts';

/** `openapi.yaml` at the package root. */
export const DEFAULT_OPENAPI_PATH = join(findPackageRoot(), 'openapi.yaml');

/** Where Swagger UI's files are served; the contract test leaves this prefix out of the route list. */
export const DOCS_ASSETS_PATH = '/docs/assets';

/** An OpenAPI document as parsed; only the parts the bundler touches are typed. */
export interface OpenApiDocument {
  components: { schemas: Record<string, unknown>; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * Reads `openapi.yaml` and inlines every schema file it references (`./schemas/*.json`) under
 * `components.schemas`, so a browser or a code generator needs only this one document.
 */
export function loadOpenApiDocument(specPath: string = DEFAULT_OPENAPI_PATH): OpenApiDocument {
  const document = loadYaml().parse(readFileSync(specPath, 'utf8')) as OpenApiDocument;
  return inlineSchemaFiles(document, dirname(specPath));
}

/**
 * Each external `$ref` must be a component of its own (`Name: { $ref: ./schemas/x.json }`): the file's
 * content replaces it, and every reference to the file, or into it, becomes `#/components/schemas/Name`.
 */
function inlineSchemaFiles(document: OpenApiDocument, baseDirectory: string): OpenApiDocument {
  const componentOfFile = new Map<string, string>();
  for (const [name, schema] of Object.entries(document.components.schemas)) {
    const reference = externalReferenceOf(schema);
    if (reference !== undefined) componentOfFile.set(resolve(baseDirectory, reference), name);
  }
  const rewrite = (node: unknown, currentComponent: string | undefined): unknown => {
    if (Array.isArray(node)) return node.map((item) => rewrite(item, currentComponent));
    if (node === null || typeof node !== 'object') return node;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      copy[key] = key === '$ref' && typeof value === 'string' ? rewriteReference(value, currentComponent) : rewrite(value, currentComponent);
    }
    return copy;
  };
  const rewriteReference = (reference: string, currentComponent: string | undefined): string => {
    const [file = '', fragment = ''] = reference.split('#', 2);
    if (file === '') return currentComponent === undefined ? reference : `#/components/schemas/${currentComponent}${fragment}`;
    const component = componentOfFile.get(resolve(baseDirectory, file));
    if (component === undefined) throw new Error(`openapi.yaml: ${reference} must be listed under components.schemas to be bundled.`);
    return `#/components/schemas/${component}${fragment}`;
  };
  const bundled = rewrite(document, undefined) as OpenApiDocument;
  for (const [file, name] of componentOfFile) {
    const { $schema: _dialect, ...schema } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    bundled.components.schemas[name] = rewrite(schema, name);
  }
  return bundled;
}

/** The YAML library, loaded on first use: a gateway whose docs nobody opens starts faster without it. */
function loadYaml(): typeof import('yaml') {
  return createRequire(import.meta.url)('yaml') as typeof import('yaml');
}

function externalReferenceOf(schema: unknown): string | undefined {
  const reference = (schema as { $ref?: unknown } | null)?.$ref;
  return typeof reference === 'string' && !reference.startsWith('#') ? reference.split('#', 1)[0] : undefined;
}

/** Swagger UI injects inline styles and data: images; everything else comes from this gateway. */
const DOCS_HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
};

/** The files of `swagger-ui-dist` the page loads; nothing else of the package is served. */
const SWAGGER_UI_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>llm-sidecar API</title>
    <link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
    <link rel="icon" type="image/png" href="${DOCS_ASSETS_PATH}/favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_ASSETS_PATH}/llm-sidecar-init.js"></script>
  </body>
</html>
`;

// A file rather than an inline script, so the CSP needs no 'unsafe-inline' for scripts.
const DOCS_INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
  displayRequestDuration: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

/**
 * `GET /openapi.yaml` and `/openapi.json` (the bundled document) and Swagger UI at `/docs`, its assets
 * from the installed `swagger-ui-dist`. Mount it without a path: `app.use(docsRouter())`.
 */
export function docsRouter(): Router {
  // Built on first use: most gateways never serve their docs, and the bundle costs memory.
  let rendered: { json: string; yaml: string } | undefined;
  const render = (): { json: string; yaml: string } => {
    if (rendered !== undefined) return rendered;
    const document = loadOpenApiDocument();
    rendered = { json: `${JSON.stringify(document, null, 2)}\n`, yaml: loadYaml().stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 }) };
    return rendered;
  };
  const docsHelmet = helmet(DOCS_HELMET_OPTIONS);
  const assetsDirectory = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const router = express.Router();

  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(render().json);
  });
  router.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml; charset=utf-8').send(render().yaml);
  });
  router.get('/docs', docsHelmet, (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  router.get(`${DOCS_ASSETS_PATH}/llm-sidecar-init.js`, docsHelmet, (_req, res) => {
    res.type('text/javascript').send(DOCS_INIT_SCRIPT);
  });
  router.get(`${DOCS_ASSETS_PATH}/:file`, docsHelmet, (req, res, next) => {
    const file = req.params['file'] ?? '';
    if (!SWAGGER_UI_FILES.has(file)) return next();
    res.sendFile(file, { root: assetsDirectory, maxAge: '1h' });
  });
  return router;
}

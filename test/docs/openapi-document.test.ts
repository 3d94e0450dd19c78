import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { compileErrors, validate } from '@readme/openapi-parser';
import { DEFAULT_OPENAPI_PATH, loadOpenApiDocument } from '../../src/http/routes/docs.ts';
import { SpecChecker } from './spec-checker.ts';

const root = join(import.meta.dirname, '..', '..');
const document = loadOpenApiDocument();
const checker = new SpecChecker(document);

type Node = Record<string, unknown>;

/** Every media type object that carries an example, with the pointer to it. */
function examplesOf(): Array<{ pointer: string[]; media: Node }> {
  const found: Array<{ pointer: string[]; media: Node }> = [];
  const visitContent = (pointer: string[], content: unknown): void => {
    for (const [type, media] of Object.entries((content ?? {}) as Record<string, Node>)) found.push({ pointer: [...pointer, 'content', type], media });
  };
  for (const { method, template, operation } of checker.operations()) {
    const base = ['paths', template, method.toLowerCase()];
    visitContent([...base, 'requestBody'], (operation['requestBody'] as Node | undefined)?.['content']);
    for (const [status, response] of Object.entries(operation['responses'] as Record<string, Node>)) visitContent([...base, 'responses', status], response['content']);
  }
  for (const [name, response] of Object.entries(document.components['responses'] as Record<string, Node>)) {
    visitContent(['components', 'responses', name], response['content']);
  }
  return found;
}

describe('openapi.yaml', () => {
  test('is a valid OpenAPI 3.1 document, as written (with schemas/ files) and as bundled', async () => {
    const asWritten = await validate(DEFAULT_OPENAPI_PATH);
    assert.ok(asWritten.valid, asWritten.valid ? '' : compileErrors(asWritten));
    assert.deepEqual(asWritten.warnings, []);
    const bundled = await validate(structuredClone(document) as never, { resolve: { external: false } });
    assert.ok(bundled.valid, bundled.valid ? '' : compileErrors(bundled));
    assert.equal(document['openapi'], '3.1.0');
  });

  test('the validator is real: a broken document fails', async () => {
    const broken = structuredClone(document) as unknown as { paths: Record<string, Record<string, Node>> };
    delete (broken.paths['/healthz']!['get']!['responses'] as Record<string, Node>)['200']!['description'];
    const result = await validate(broken as never, { resolve: { external: false } });
    assert.equal(result.valid, false);
  });

  test('references every schema file in schemas/, and the bundle inlines them unchanged', () => {
    const text = readFileSync(DEFAULT_OPENAPI_PATH, 'utf8');
    const schemas = document.components.schemas;
    for (const file of readdirSync(join(root, 'schemas')).filter((name) => name.endsWith('.json') && name !== 'config.json')) {
      assert.ok(text.includes(`$ref: './schemas/${file}'`), `openapi.yaml does not reference schemas/${file}`);
      const { $schema: _dialect, ...content } = JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8')) as Node;
      assert.ok(Object.values(schemas).some((schema) => JSON.stringify(schema) === JSON.stringify(content)), `${file} is not inlined as is`);
    }
    assert.doesNotMatch(JSON.stringify(document), /"\$ref":"\.\//, 'an external $ref is left in the bundle');
  });

  test('its version is the package version', () => {
    const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal((document['info'] as { version: string }).version, packageJson.version);
  });

  test('every operation documents its 200 and errors in OpenAI shape, and generation routes their headers', () => {
    for (const { method, template, operation } of checker.operations()) {
      const statuses = Object.keys(operation['responses'] as Node);
      assert.ok(statuses.some((status) => status.startsWith('2')), `${method} ${template} has no success response`);
      assert.ok(typeof operation['operationId'] === 'string', `${method} ${template} has no operationId`);
    }
    for (const template of ['/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/v1/llm/{model}']) {
      const operation = checker.operations().find((entry) => entry.template === template && entry.method === 'POST')!.operation;
      const headers = (operation['parameters'] as Array<{ $ref: string }>).map((parameter) => parameter.$ref);
      for (const name of ['XModel', 'XPriority', 'XRequestId']) assert.ok(headers.includes(`#/components/parameters/${name}`), `${template} lacks ${name}`);
      for (const status of ['400', '401', '404', '413', '429', '502', '503', '504']) assert.ok(status in (operation['responses'] as Node), `${template} lacks ${status}`);
    }
  });

  test('429 and 503 document Retry-After', () => {
    const responses = document.components['responses'] as Record<string, { headers: Node }>;
    assert.ok('Retry-After' in responses['TooManyRequests']!.headers);
    assert.ok('Retry-After' in responses['ServiceUnavailable']!.headers);
  });

  test('every example matches its schema (JSON bodies, SSE events, NDJSON lines)', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const { pointer, media } of examplesOf()) {
      const type = pointer.at(-1)!;
      const samples: Array<[string, unknown]> = [];
      if (media['example'] !== undefined) samples.push([pointer.join(' '), media['example']]);
      for (const [name, example] of Object.entries((media['examples'] ?? {}) as Record<string, { value: unknown }>)) samples.push([`${pointer.join(' ')} ${name}`, example.value]);
      for (const [label, value] of samples) {
        checked += 1;
        if (type === 'application/json') problems.push(...checker.problemsOfValue(label, [...pointer, 'schema'], value));
        else if (pointer.includes('responses')) {
          const status = Number(pointer[pointer.indexOf('responses') + 1]);
          const template = pointer[0] === 'paths' ? pointer[1]! : undefined;
          if (template === undefined) continue;
          problems.push(...checker.problemsOf({ method: pointer[2]!.toUpperCase(), path: template.replace(/\{[^}]+\}/g, 'x'), status, contentType: type, body: String(value), requestId: undefined }));
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(checked >= 30, `only ${checked} examples checked`);
  });
});

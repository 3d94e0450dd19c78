import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildSchemaValue } from '../../src/sim/build-schema-value.ts';
import { createRandom } from '../../src/sim/deterministic-random.ts';
import { describeJsonError } from '../../src/sim/describe-json-error.ts';
import { normalizeModelName, qualifyModelName } from '../../src/sim/model-names.ts';
import { defaultKeepAliveMs, parseKeepAlive } from '../../src/sim/parse-keep-alive.ts';

describe('Go decoder error texts', () => {
  const cases: Array<[string, string | undefined]> = [
    ['{"a":1}', undefined],
    ['x', "invalid character 'x' looking for beginning of value"],
    ['{"a":1', 'unexpected EOF'],
    ['{"a": "abc', 'unexpected EOF'],
    ['{x', "invalid character 'x' looking for beginning of object key string"],
    ['{"a":1,x}', "invalid character 'x' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['[1,2}', "invalid character '}' after array element"],
    ['{"a":1} x', "invalid character 'x' after top-level value"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":-}', "invalid character '}' in numeric literal"],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => assert.equal(describeJsonError(text), expected));
  }
});

describe('keep_alive', () => {
  test('absent is the 5 minute default; numbers are seconds; negatives are forever', () => {
    assert.deepEqual(parseKeepAlive(undefined), { ms: defaultKeepAliveMs });
    assert.deepEqual(parseKeepAlive(30), { ms: 30_000 });
    assert.deepEqual(parseKeepAlive(0), { ms: 0 });
    assert.deepEqual(parseKeepAlive(-1), { ms: Infinity });
  });

  test('strings are Go durations; a bare number string is an error', () => {
    assert.deepEqual(parseKeepAlive('1h30m'), { ms: 5_400_000 });
    assert.deepEqual(parseKeepAlive('0'), { ms: 0 });
    assert.deepEqual(parseKeepAlive('-1m'), { ms: Infinity });
    assert.deepEqual(parseKeepAlive('10'), { error: 'time: missing unit in duration "10"' });
    assert.deepEqual(parseKeepAlive('soon'), { error: 'time: invalid duration "soon"' });
    assert.deepEqual(parseKeepAlive(true), { error: "Unsupported type: 'bool'" });
  });
});

describe('model names', () => {
  test('a missing tag is latest; qualified names carry the registry and namespace', () => {
    assert.equal(normalizeModelName('llama3.2'), 'llama3.2:latest');
    assert.equal(normalizeModelName('llama3.2:3b'), 'llama3.2:3b');
    assert.equal(normalizeModelName('host:5000/user/model'), 'host:5000/user/model:latest');
    assert.equal(qualifyModelName('gemma3'), 'registry.ollama.ai/library/gemma3:latest');
    assert.equal(qualifyModelName('user/model:q4'), 'registry.ollama.ai/user/model:q4');
  });
});

describe('values from JSON schemas', () => {
  const build = (schema: unknown): unknown => buildSchemaValue(schema, createRandom(7));

  test('scalars, enums and consts', () => {
    assert.equal(typeof build({ type: 'string' }), 'string');
    assert.equal(build({ enum: ['a', 'b'] }), 'a');
    assert.equal(build({ const: 42 }), 42);
    assert.equal(typeof build({ type: 'boolean' }), 'boolean');
    assert.equal(build({ type: 'null' }), null);
    const integer = build({ type: 'integer', minimum: 3, maximum: 5 }) as number;
    assert.ok(Number.isInteger(integer) && integer >= 3 && integer <= 5);
    const number = build({ type: 'number', exclusiveMinimum: 0, maximum: 1 }) as number;
    assert.ok(number > 0 && number <= 1);
    assert.ok((build({ type: 'string', minLength: 20, maxLength: 25 }) as string).length >= 20);
  });

  test('nullable types, anyOf and local $refs', () => {
    assert.equal(typeof build({ type: ['null', 'string'] }), 'string');
    assert.equal(typeof build({ anyOf: [{ type: 'null' }, { type: 'integer' }] }), 'number');
    const value = build({ $defs: { point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } }, $ref: '#/$defs/point' });
    assert.equal(typeof (value as { x: unknown }).x, 'number');
  });

  test('arrays respect minItems and maxItems; objects get every property', () => {
    assert.equal((build({ type: 'array', items: { type: 'integer' }, minItems: 3 }) as unknown[]).length, 3);
    assert.equal((build({ type: 'array', items: { type: 'integer' }, maxItems: 1 }) as unknown[]).length, 1);
    assert.deepEqual(Object.keys(build({ type: 'object', properties: { a: {}, b: {} }, required: ['c'] }) as object), ['a', 'b', 'c']);
  });

  test('the same seed gives the same value', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' }, size: { type: 'number' } } };
    assert.deepEqual(build(schema), build(schema));
  });
});

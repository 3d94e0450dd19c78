import { pickWord } from './compose-text.ts';

type Schema = Record<string, unknown>;

/**
 * A JSON value that validates against `schema` (the subset structured outputs use: type, properties,
 * required, items, enum, const, anyOf/oneOf, min/max bounds). `random` makes strings and numbers vary
 * with the prompt while staying deterministic. `$defs` are followed through local `$ref`s.
 */
export function buildSchemaValue(schema: unknown, random: () => number, root: unknown = schema, depth = 0): unknown {
  if (!isSchema(schema) || depth > 8) return null;
  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return schema['enum'][0];
  const reference = schema['$ref'];
  if (typeof reference === 'string') return buildSchemaValue(resolveReference(root, reference), random, root, depth + 1);
  const alternatives = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    const chosen = alternatives.find((alternative) => !isSchema(alternative) || alternative['type'] !== 'null') ?? alternatives[0];
    return buildSchemaValue(chosen, random, root, depth + 1);
  }
  switch (pickType(schema)) {
    case 'object':
      return buildObject(schema, random, root, depth);
    case 'array':
      return buildArray(schema, random, root, depth);
    case 'string':
      return buildString(schema, random);
    case 'integer':
      return buildNumber(schema, random, true);
    case 'number':
      return buildNumber(schema, random, false);
    case 'boolean':
      return random() < 0.5;
    case 'null':
      return null;
    default:
      return pickWord(random);
  }
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pickType(schema: Schema): string | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((candidate) => candidate !== 'null') ?? type[0];
  if (isSchema(schema['properties'])) return 'object';
  if (schema['items'] !== undefined) return 'array';
  return undefined;
}

function resolveReference(root: unknown, reference: string): unknown {
  if (!reference.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const key of reference.slice(2).split('/')) node = isSchema(node) ? node[key] : undefined;
  return node;
}

function buildObject(schema: Schema, random: () => number, root: unknown, depth: number): Record<string, unknown> {
  const properties = isSchema(schema['properties']) ? schema['properties'] : {};
  const object: Record<string, unknown> = {};
  for (const [key, propertySchema] of Object.entries(properties)) {
    object[key] = buildSchemaValue(propertySchema, random, root, depth + 1);
  }
  const required = Array.isArray(schema['required']) ? schema['required'] : [];
  for (const key of required) {
    if (typeof key === 'string' && !(key in object)) object[key] = pickWord(random);
  }
  return object;
}

function buildArray(schema: Schema, random: () => number, root: unknown, depth: number): unknown[] {
  const minimum = typeof schema['minItems'] === 'number' ? schema['minItems'] : 1;
  const maximum = typeof schema['maxItems'] === 'number' ? schema['maxItems'] : Math.max(minimum, 2);
  const length = Math.min(Math.max(minimum, 2), maximum);
  return Array.from({ length }, () => buildSchemaValue(schema['items'], random, root, depth + 1));
}

function buildString(schema: Schema, random: () => number): string {
  const minimum = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
  const maximum = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Infinity;
  let text = pickWord(random);
  while (text.length < minimum) text += ` ${pickWord(random)}`;
  return Array.from(text).slice(0, maximum).join('');
}

function buildNumber(schema: Schema, random: () => number, isInteger: boolean): number {
  const exclusiveMinimum = typeof schema['exclusiveMinimum'] === 'number' ? schema['exclusiveMinimum'] : undefined;
  const exclusiveMaximum = typeof schema['exclusiveMaximum'] === 'number' ? schema['exclusiveMaximum'] : undefined;
  const low = typeof schema['minimum'] === 'number' ? schema['minimum'] : exclusiveMinimum !== undefined ? exclusiveMinimum + 1 : 0;
  const high = typeof schema['maximum'] === 'number' ? schema['maximum'] : exclusiveMaximum !== undefined ? exclusiveMaximum - 1 : low + 100;
  const value = low + random() * Math.max(0, high - low);
  if (isInteger) return Math.max(Math.ceil(low), Math.min(Math.floor(high), Math.floor(value)));
  return Math.max(low, Math.min(high, Math.round(value * 100) / 100));
}

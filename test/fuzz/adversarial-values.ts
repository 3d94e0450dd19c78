import type { SeededRandom } from './seeded-random.ts';

/** Names of `Object.prototype` members: as model names or keys they must find nothing, never a member. */
export const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
] as const;

/** JSON text of values of every wrong type and extreme size (text, so `1e400` and `-0` survive). */
const ADVERSARIAL_TEXTS = [
  'null',
  'true',
  'false',
  '0',
  '-0',
  '-1',
  '1e308',
  '1e400',
  '-1e400',
  '123456789012345678901234567890',
  '0.000000000000000000000000001',
  '9007199254740993',
  '""',
  '" "',
  '"\\u0000"',
  '"\\ud800"',
  '"𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ 東京"',
  '[]',
  '[null]',
  '{}',
  '{"__proto__": {"polluted": true}}',
  '{"constructor": {"prototype": {"polluted": true}}}',
  '[[[[[[[[[[]]]]]]]]]]',
];

/** JSON text of one adversarial value: a wrong type, an extreme number, a prototype name, or nesting. */
export function adversarialValueText(random: SeededRandom, maxDepth: number): string {
  return random.weighted<() => string>([
    [6, () => random.pick(ADVERSARIAL_TEXTS)],
    [2, () => JSON.stringify(random.pick(PROTOTYPE_NAMES))],
    [1, () => JSON.stringify('x'.repeat(random.int(1000, 5000)))],
    [1, () => nestedText(random.int(2, maxDepth - 2))],
  ])();
}

/** `[[…]]` or `{"a":{"a":…}}` nested `depth` levels. */
export function nestedText(depth: number, kind: 'array' | 'object' = depth % 2 === 0 ? 'array' : 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A placeholder replaced by raw JSON text when the value is serialised. */
const RAW_MARKER = '\u0000raw:';

/**
 * One structural mutation of a JSON body, anywhere in its tree: a node replaced by an adversarial
 * value, a key removed, or a key added (prototype names included). Returns the JSON text.
 */
export function mutateJson(body: Json, random: SeededRandom, maxDepth: number): string {
  const copy = structuredClone(body);
  const mutations = random.int(1, 3);
  const raws: string[] = [];
  for (let count = 0; count < mutations; count++) {
    const nodes = containers(copy);
    const node = random.pick(nodes);
    const keys = Array.isArray(node) ? node.map((_item, index) => String(index)) : Object.keys(node);
    const replacement = `${RAW_MARKER}${raws.push(adversarialValueText(random, maxDepth)) - 1}`;
    const action = random.weighted<'replace' | 'remove' | 'add'>([[5, 'replace'], [1, 'remove'], [3, 'add']]);
    if (action === 'replace' && keys.length > 0) setOwn(node, random.pick(keys), replacement);
    else if (action === 'remove' && keys.length > 0 && !Array.isArray(node)) delete node[random.pick(keys)];
    else if (Array.isArray(node)) node.push(replacement);
    else setOwn(node, random.chance(0.6) ? random.pick(PROTOTYPE_NAMES) : `fuzz_${random.int(0, 99)}`, replacement);
  }
  return JSON.stringify(copy).replace(/"\\u0000raw:(\d+)"/g, (_match, index: string) => raws[Number(index)] ?? 'null');
}

/** Every array and object in a tree, the root first. */
function containers(value: Json): Array<Json[] | { [key: string]: Json }> {
  if (value === null || typeof value !== 'object') return [];
  const children = Array.isArray(value) ? value : Object.values(value);
  return [value, ...children.flatMap(containers)];
}

/** An own property even for `__proto__` (plain assignment would set the prototype instead). */
function setOwn(node: Json[] | { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
}

export type { Json };

/**
 * How the bundle takes Node's built-in modules (`scripts/build-bundle.ts`): what `serve` loads must
 * not pull in built-ins it never uses, because some cost far more than their code suggests —
 * `node:http2` and `node:https` bring TLS and OpenSSL's set-up with them, about 9 MiB of memory and
 * 100 ms or more of start-up between them. Why: `docs/decisions/0006-bundled-build.md`.
 */
import { createRequire } from 'node:module';
import type { Plugin } from 'esbuild';

/**
 * Our sources' imports of built-ins become `require` calls. Node's ES module facade for a built-in
 * reads every one of its exports when it is imported, getters included: `node:http`'s lazy
 * `WebSocket` loads Node's own copy of undici, `node:crypto`'s `webcrypto` the Web Crypto API, and so
 * on, all at start-up. `require` returns the module and reads only what is used.
 */
export const builtinsAsRequire: Plugin = {
  name: 'builtins-as-require',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'import-statement' && args.importer.includes('/src/') ? { path: args.path, namespace: 'builtin-as-require' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin-as-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/**
 * Built-ins that bundled dependencies require at the top of a module but use only in features the
 * gateway leaves off: undici loads `node:http2` for HTTP/2 upstreams (`allowH2`), prom-client
 * `node:https` for its Pushgateway client. They get a stand-in that loads the real module on first
 * use of anything but `constants`, which undici reads from `node:http2` while loading: those are
 * copied from the Node that builds the bundle (the same major version runs it; a test compares them).
 */
export const lazyBuiltinNames: readonly string[] = ['http2', 'https'];

export const lazyBuiltins: Plugin = {
  name: 'lazy-builtins',
  setup(build) {
    const filter = new RegExp(`^(node:)?(${lazyBuiltinNames.join('|')})$`);
    build.onResolve({ filter }, (args) =>
      args.kind === 'require-call' && args.importer.includes('/node_modules/') ? { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({ contents: lazyBuiltinSource(args.path), loader: 'js' }));
  },
};

/** The stand-in module for the built-in `name`. */
export function lazyBuiltinSource(name: string): string {
  const constants = (createRequire(import.meta.url)(`node:${name}`) as { constants?: unknown }).constants;
  return `let loaded;
const load = () => (loaded ??= require(${JSON.stringify(`node:${name}`)}));
const known = ${constants === undefined ? '{}' : `{ constants: ${JSON.stringify(constants)} }`};
module.exports = new Proxy(known, {
  get: (target, key) => (Object.hasOwn(target, key) ? target[key] : load()[key]),
  has: (target, key) => Object.hasOwn(target, key) || key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_target, key) => ({ ...Reflect.getOwnPropertyDescriptor(load(), key), configurable: true }),
});
`;
}

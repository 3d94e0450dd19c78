/**
 * The V8 flags the gateway runs with, kept in one list: `npm start` (package.json), the `llm-sidecar`
 * bin (the shebang of `src/cli/main.ts`), the Docker image's `CMD` and the benchmark all pass exactly
 * these, and `test/packaging/runtime-flags.test.ts` fails when one of them drifts. Why these flags and
 * what they cost: `docs/decisions/0009-runtime-flags.md`.
 */
export const gatewayRuntimeFlags: readonly string[] = ['--max-semi-space-size=8'];

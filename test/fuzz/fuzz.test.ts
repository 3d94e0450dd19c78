import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { checkOutcome, credentialProblems } from './check-outcome.ts';
import { FUZZ_ALIASES, FUZZ_BODY_LIMIT, FUZZ_KEY, FUZZ_MAX_DEPTH, FUZZ_MODEL_CONFIG } from './fuzz-routes.ts';
import { generateRequest } from './generate-request.ts';
import { requestSeed, SeededRandom } from './seeded-random.ts';
import { sendRaw, serialiseRequest, type FuzzRequest } from '../support/send-raw-request.ts';

/** `FUZZ_SEED` picks another run, `FUZZ_COUNT` its length (20000 for a thorough local run), `FUZZ_ONLY` one request of it. */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_201);
const COUNT = Number(process.env['FUZZ_COUNT'] ?? 2_500);
const ONLY = process.env['FUZZ_ONLY'] === undefined ? undefined : Number(process.env['FUZZ_ONLY']);
/** Generous for a busy machine: the simulator answers in milliseconds, so only a hang gets near it. */
const REQUEST_DEADLINE_MS = 15_000;
/** The concurrent burst after the serial run (`FUZZ_BURST`), and how many requests overlap. */
const BURST = Number(process.env['FUZZ_BURST'] ?? 300);
const BURST_WIDTH = 16;
const BURST_FIRST_INDEX = 1_000_000;
const MAX_REPORTED_FAILURES = 8;

describe('fuzz: adversarial requests to every route', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      sim: { tokensPerAnswer: 4 },
      config: {
        logLevel: 'warn',
        apiKeys: [FUZZ_KEY],
        bodyLimitBytes: FUZZ_BODY_LIMIT,
        maxJsonDepth: FUZZ_MAX_DEPTH,
        aliases: { ...FUZZ_ALIASES },
        models: structuredClone(FUZZ_MODEL_CONFIG) as Record<string, { maxConcurrent?: number; maxQueue?: number }>,
      },
    });
  });
  after(() => stack.close());

  // About 20 s on a quiet machine; the run's own limit leaves room for a busy one (npm test's default is 60 s).
  test(`seed ${SEED}: no 500, no hang, errors in the route's dialect, nothing refused or secret reaches Ollama`, { timeout: 300_000 }, async (t) => {
    const sim = stack.sim!;
    const port = (stack.server.address() as AddressInfo).port;
    const host = `127.0.0.1:${port}`;
    const counts = new Map<string, number>();
    const failures: string[] = [];
    const indexes = ONLY === undefined ? Array.from({ length: COUNT }, (_unused, index) => index) : [ONLY];
    for (const index of indexes) {
      const request = generateRequest(new SeededRandom(requestSeed(SEED, index)));
      const receivedBefore = sim.stats.receivedCount;
      const outcome = await sendRaw(port, serialiseRequest(request, host), { timeoutMs: REQUEST_DEADLINE_MS, endAfterSending: request.truncated === true });
      const reached = sim.stats.received.filter((received) => received.sequence > receivedBefore);
      const key = outcome.kind === 'response' ? String(outcome.response.status) : outcome.kind;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const problems = checkOutcome(request, outcome, reached);
      if (problems.length > 0) failures.push(describeFailure(index, request, problems));
      if (failures.length >= MAX_REPORTED_FAILURES) break;
    }
    t.diagnostic(`statuses: ${describeCounts(counts)}`);
    assert.deepEqual(failures, [], `fuzz failures (seed ${SEED}); replay one with FUZZ_SEED=${SEED} FUZZ_ONLY=<index>`);
    await assertIdleAndAlive(stack);
  });

  test(`seed ${SEED}: ${BURST} requests ${BURST_WIDTH} at a time leave no slot taken and no credential upstream`, { timeout: 300_000, skip: ONLY !== undefined }, async (t) => {
    const sim = stack.sim!;
    const port = (stack.server.address() as AddressInfo).port;
    const counts = new Map<string, number>();
    const failures: string[] = [];
    // With requests overlapping, what reached Ollama cannot be told apart per request: it is read as it
    // arrives (the simulator keeps the last 256), and checked for credentials.
    let seen = sim.stats.receivedCount;
    const credentialLeaks: string[] = [];
    const readReceived = (): void => {
      const fresh = sim.stats.received.filter((received) => received.sequence > seen);
      if (fresh.length > 0 && fresh[0]!.sequence !== seen + 1) credentialLeaks.push(`missed requests ${seen + 1}..${fresh[0]!.sequence - 1}`);
      credentialLeaks.push(...fresh.flatMap(credentialProblems));
      seen = sim.stats.receivedCount;
    };
    // Seeds apart from the serial run's.
    let next = BURST_FIRST_INDEX;
    const worker = async (): Promise<void> => {
      while (next < BURST_FIRST_INDEX + BURST) {
        const index = next++;
        const request = generateRequest(new SeededRandom(requestSeed(SEED, index)));
        const outcome = await sendRaw(port, serialiseRequest(request, `127.0.0.1:${port}`), { timeoutMs: REQUEST_DEADLINE_MS, endAfterSending: request.truncated === true });
        const key = outcome.kind === 'response' ? String(outcome.response.status) : outcome.kind;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        readReceived();
        const problems = checkOutcome(request, outcome, []);
        if (problems.length > 0) failures.push(describeFailure(index, request, problems));
      }
    };
    await Promise.all(Array.from({ length: BURST_WIDTH }, worker));
    t.diagnostic(`statuses: ${describeCounts(counts)}`);
    assert.deepEqual(failures.slice(0, MAX_REPORTED_FAILURES), [], `fuzz failures (seed ${SEED}); replay one with FUZZ_SEED=${SEED} FUZZ_ONLY=<index>`);
    readReceived();
    assert.deepEqual(credentialLeaks, []);
    await assertIdleAndAlive(stack);
  });
});

/** Still alive, nothing left holding a slot or a queue place, and no request logged as a 500. */
async function assertIdleAndAlive(stack: TestStack): Promise<void> {
  assert.equal((await fetch(`${stack.url}/healthz`)).status, 200);
  await stack.sim!.stats.whenIdle();
  const snapshot = stack.gateway.services.scheduler.snapshot();
  for (const [model, lane] of Object.entries(snapshot.models)) assert.deepEqual([model, lane.active, lane.queued], [model, 0, 0]);
  assert.deepEqual(stack.logs.filter((line) => line['status'] === 500), []);
}

function describeCounts(counts: ReadonlyMap<string, number>): string {
  return JSON.stringify(Object.fromEntries([...counts].sort(([left], [right]) => left.localeCompare(right))));
}

function describeFailure(index: number, request: FuzzRequest, problems: string[]): string {
  const headers = request.headers.map(([name, value]) => `${name}: ${shorten(value, 80)}`);
  const body = request.raw ?? request.body;
  return [
    `#${index} [${request.label}] FUZZ_SEED=${SEED} FUZZ_ONLY=${index}`,
    `  ${request.raw === undefined ? `${request.method} ${shorten(request.target, 120)}` : '(raw bytes)'}`,
    ...headers.slice(0, 12).map((header) => `  ${header}`),
    ...(headers.length > 12 ? [`  … ${headers.length - 12} more headers`] : []),
    `  body (${body.length} bytes): ${shorten(JSON.stringify(body.subarray(0, 300).toString('latin1')), 300)}`,
    ...problems.map((problem) => `  → ${shorten(problem, 300)}`),
  ].join('\n');
}

function shorten(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…(${text.length} chars)` : text;
}

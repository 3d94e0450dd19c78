/**
 * The scheduler's own cost per request (not a test): `npx node bench/scheduler-overhead.ts`.
 * Idle: acquire + release with a free slot. Queued: the same with 1,000 requests waiting, each
 * acquire joining the tail and each release starting the head. Bottleneck's idle schedule() is
 * measured alongside for comparison (docs/decisions/0001).
 */
import Bottleneck from 'bottleneck';
import { overloaded } from '../src/errors/gateway-error.ts';
import { configSchema } from '../src/config/config-schema.ts';
import { Scheduler, type Lease } from '../src/scheduler/scheduler.ts';

const IDLE_ROUNDS = 200_000;
const QUEUED_ROUNDS = 50_000;
const QUEUE_DEPTH = 1_000;
const BOTTLENECK_ROUNDS = 200;

function createScheduler(maxConcurrent: number): Scheduler {
  const config = configSchema.parse({ models: { m: { maxConcurrent, maxQueue: QUEUE_DEPTH + 10 } } });
  return new Scheduler({ getConfig: () => config, getGlobalLimits: () => ({ maxTotalRequests: QUEUE_DEPTH + 10 }) });
}

async function measureIdle(): Promise<number> {
  const scheduler = createScheduler(1);
  const startedAt = performance.now();
  for (let round = 0; round < IDLE_ROUNDS; round += 1) (await scheduler.acquire('m')).release();
  return ((performance.now() - startedAt) * 1e6) / IDLE_ROUNDS;
}

async function measureQueued(): Promise<number> {
  const scheduler = createScheduler(1);
  let running: Lease = await scheduler.acquire('m');
  const queue: Array<Promise<Lease>> = Array.from({ length: QUEUE_DEPTH }, () => scheduler.acquire('m'));
  const startedAt = performance.now();
  for (let round = 0; round < QUEUED_ROUNDS; round += 1) {
    queue.push(scheduler.acquire('m'));
    running.release();
    running = await (queue.shift() as Promise<Lease>);
  }
  const nanoseconds = ((performance.now() - startedAt) * 1e6) / QUEUED_ROUNDS;
  scheduler.rejectAll(overloaded('benchmark over', 1));
  await Promise.allSettled(queue);
  running.release();
  return nanoseconds;
}

async function measureBottleneckIdle(): Promise<number> {
  const limiter = new Bottleneck({ maxConcurrent: 1 });
  const startedAt = performance.now();
  for (let round = 0; round < BOTTLENECK_ROUNDS; round += 1) await limiter.schedule(() => Promise.resolve());
  return ((performance.now() - startedAt) * 1e6) / BOTTLENECK_ROUNDS;
}

const format = (nanoseconds: number): string => `${(nanoseconds / 1000).toFixed(2)} µs`;
await measureIdle(); // warm-up
console.log(`idle acquire+release:              ${format(await measureIdle())} per request`);
console.log(`acquire+release, ${QUEUE_DEPTH} queued:     ${format(await measureQueued())} per request`);
console.log(`bottleneck schedule(), idle:       ${format(await measureBottleneckIdle())} per job (for comparison)`);

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Config } from '../../src/config/config-schema.ts';
import { ModelLimitsTable } from '../../src/scheduler/model-limits.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { FakeClock } from './fake-clock.ts';
import { flushMicrotasks, makeConfig } from './scheduler-harness.ts';

/** A config whose model `m` counts how often its `maxConcurrent` is read. */
function countingConfig(maxConcurrent: number): { config: Config; reads: () => number } {
  const config = makeConfig({ models: { m: {} } });
  let reads = 0;
  Object.defineProperty(config.models['m'], 'maxConcurrent', { enumerable: true, get: () => ((reads += 1), maxConcurrent) });
  return { config, reads: () => reads };
}

describe('Per-model limits resolved once per configuration', () => {
  it('resolves a model entry once per config object, and again for a new one', () => {
    const first = countingConfig(2);
    const table = new ModelLimitsTable();
    table.load(first.config);
    const limits = table.get(first.config, 'm');
    assert.equal(limits.maxConcurrent, 2);
    assert.equal(table.get(first.config, 'm'), limits);
    assert.equal(first.reads(), 1);
    const second = countingConfig(5);
    assert.equal(table.get(second.config, 'm').maxConcurrent, 5);
    assert.equal(second.reads(), 1);
  });

  it('reads no model entry on acquire while the config stays the same', async () => {
    const { config, reads } = countingConfig(1);
    const scheduler = new Scheduler({ getConfig: () => config, clock: new FakeClock() });
    const before = reads();
    for (let round = 0; round < 5; round += 1) (await scheduler.acquire('m')).release();
    assert.equal(reads(), before);
    assert.equal(scheduler.snapshot().models['m']?.served, 5);
  });

  it('keeps a model named like an Object property apart from the prototype', async () => {
    const config = makeConfig({ defaults: { maxConcurrent: 3 }, models: { constructor: { maxConcurrent: 1 } } });
    const scheduler = new Scheduler({ getConfig: () => config, clock: new FakeClock() });
    const running = await scheduler.acquire('constructor');
    let second = false;
    const queued = scheduler.acquire('constructor').then((lease) => ((second = true), lease));
    await flushMicrotasks();
    assert.equal(second, false);
    const table = new ModelLimitsTable();
    for (const name of ['toString', '__proto__', 'hasOwnProperty']) assert.equal(table.get(config, name).maxConcurrent, 3);
    running.release();
    (await queued).release();
  });
});

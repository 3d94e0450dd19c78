import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceReadings } from '../../src/scheduler/admission-gate.ts';
import { MEMORY_COST_BYTES } from '../../src/scheduler/model-limits.ts';
import { ResourceMonitor } from '../../src/scheduler/resource-monitor.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { FakeClock } from './fake-clock.ts';
import { makeConfig } from './scheduler-harness.ts';

const GIB = 1024 ** 3;

function calmReadings(): ResourceReadings {
  return {
    hostAvailableMemoryBytes: 8 * GIB,
    cgroupMemoryLimitBytes: null,
    cgroupMemoryUsageBytes: null,
    cpuCount: 2,
    loadAverage: 0.5,
    eventLoopDelayMs: 1,
  };
}

function createMonitor(): { monitor: ResourceMonitor; readings: ResourceReadings } {
  const readings = calmReadings();
  const monitor = new ResourceMonitor({ readReadings: () => ({ ...readings }), thresholds: { minFreeMemoryBytes: GIB } });
  monitor.sample();
  return { monitor, readings };
}

describe('ResourceMonitor', () => {
  it('pauses above each threshold and says why', () => {
    const { monitor, readings } = createMonitor();
    assert.deepEqual(monitor.snapshot().paused, false);
    const pressures: Array<[string, (target: ResourceReadings) => void]> = [
      ['memory', (target) => (target.hostAvailableMemoryBytes = GIB / 2)],
      ['memory: cgroup', (target) => Object.assign(target, { cgroupMemoryLimitBytes: 4 * GIB, cgroupMemoryUsageBytes: 3.9 * GIB })],
      ['cpu', (target) => (target.loadAverage = 9)],
      ['event loop', (target) => (target.eventLoopDelayMs = 500)],
    ];
    for (const [reason, apply] of pressures) {
      Object.assign(readings, calmReadings());
      apply(readings);
      monitor.sample();
      const snapshot = monitor.snapshot();
      assert.equal(snapshot.paused, true, reason);
      assert.ok(snapshot.reasons.some((text) => text.startsWith(reason)), `${reason}: ${snapshot.reasons.join('; ')}`);
    }
  });

  it('weighs the memory cost of a model against the headroom', () => {
    const { monitor, readings } = createMonitor();
    readings.hostAvailableMemoryBytes = GIB + MEMORY_COST_BYTES.medium;
    monitor.sample();
    assert.equal(monitor.canAdmit(MEMORY_COST_BYTES.medium), true);
    assert.equal(monitor.canAdmit(MEMORY_COST_BYTES.high), false);
  });
});

describe('Scheduler with resource admission', () => {
  it('queues new work while paused and starts it when the readings recover', async () => {
    const { monitor, readings } = createMonitor();
    const config = makeConfig({ models: { m: { maxConcurrent: 2 } } });
    const scheduler = new Scheduler({ getConfig: () => config, clock: new FakeClock(), resources: monitor });
    readings.loadAverage = 20;
    monitor.sample();
    let started = false;
    const pending = scheduler.acquire('m').then((lease) => {
      started = true;
      return lease;
    });
    await Promise.resolve();
    assert.equal(started, false);
    assert.deepEqual([scheduler.snapshot().paused, scheduler.snapshot().queued], [true, 1]);
    assert.equal(scheduler.snapshot().resources?.readings?.loadAverage, 20);
    readings.loadAverage = 0.5;
    monitor.sample();
    (await pending).release();
    assert.equal(scheduler.snapshot().paused, false);
    scheduler.close();
  });

  it('holds back a high-cost model while a small one still starts', async () => {
    const { monitor, readings } = createMonitor();
    const config = makeConfig({ models: { big: { memoryCost: 'high' }, tiny: { memoryCost: 'small' } } });
    const scheduler = new Scheduler({ getConfig: () => config, clock: new FakeClock(), resources: monitor });
    readings.hostAvailableMemoryBytes = GIB + MEMORY_COST_BYTES.medium;
    monitor.sample();
    const big = scheduler.acquire('big');
    (await scheduler.acquire('tiny')).release();
    assert.equal(scheduler.snapshot().models.big?.queued, 1);
    readings.hostAvailableMemoryBytes = 8 * GIB;
    monitor.sample();
    (await big).release();
    scheduler.close();
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveMinFreeMemoryBytes } from '../../src/scheduler/resource-floor.ts';
import { DEFAULT_RESOURCE_THRESHOLDS, findPressureReasons } from '../../src/scheduler/resource-pressure.ts';

const MIB = 1024 ** 2;
const container = (limitBytes: number, usageBytes: number) => ({
  hostAvailableMemoryBytes: 16 * 1024 * MIB,
  cgroupMemoryLimitBytes: limitBytes,
  cgroupMemoryUsageBytes: usageBytes,
  cpuCount: 2,
  loadAverage: 0,
  eventLoopDelayMs: 1,
});

test('the default floor is 256 MiB, or 10 % of a smaller container limit; a configured one wins', () => {
  assert.equal(resolveMinFreeMemoryBytes(undefined, null), 256 * MIB);
  assert.equal(resolveMinFreeMemoryBytes(undefined, 512 * MIB), Math.floor(51.2 * MIB));
  assert.equal(resolveMinFreeMemoryBytes(undefined, 8 * 1024 * MIB), 256 * MIB);
  assert.equal(resolveMinFreeMemoryBytes(0, 512 * MIB), 0);
  assert.equal(resolveMinFreeMemoryBytes(300 * MIB, 512 * MIB), 300 * MIB);
});

test('a 256 MiB container running the gateway idle admits work with the default thresholds', () => {
  // About 100 MiB idle: 156 MiB free, 64 MiB for a small request, 92 MiB left above a 25.6 MiB floor.
  assert.deepEqual(findPressureReasons(container(256 * MIB, 100 * MIB), DEFAULT_RESOURCE_THRESHOLDS, 64 * MIB), []);
  // A fixed 256 MiB floor could never be met inside that limit.
  assert.equal(findPressureReasons(container(256 * MIB, 100 * MIB), { ...DEFAULT_RESOURCE_THRESHOLDS, minFreeMemoryBytes: 256 * MIB }, 64 * MIB).length, 1);
});

test('inside the container the floor still pauses work when memory runs short', () => {
  const reasons = findPressureReasons(container(512 * MIB, 420 * MIB), DEFAULT_RESOURCE_THRESHOLDS, 64 * MIB);
  assert.match(reasons[0] ?? '', /above a floor of 53687091/);
});

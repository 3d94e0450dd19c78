import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseCpuMax, parseLimitBytes, parseMemAvailable, readContainerReadings } from '../../src/scheduler/resource-readings.ts';

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Builds a fake machine: `files` maps paths under the root to contents. */
function makeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'fake-cgroup-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const MEMINFO = 'MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    8000000 kB\n';

describe('readContainerReadings', () => {
  it('reads cgroup v2 from the process cgroup folder', () => {
    const root = makeRoot({
      'proc/meminfo': MEMINFO,
      'proc/self/cgroup': '0::/system.slice/gateway.service\n',
      'sys/fs/cgroup/system.slice/gateway.service/memory.max': '2147483648\n',
      'sys/fs/cgroup/system.slice/gateway.service/memory.current': '1073741824\n',
      'sys/fs/cgroup/system.slice/gateway.service/cpu.max': '150000 100000\n',
    });
    assert.deepEqual(readContainerReadings(root), {
      hostAvailableMemoryBytes: 8_000_000 * 1024,
      cgroupMemoryLimitBytes: 2_147_483_648,
      cgroupMemoryUsageBytes: 1_073_741_824,
      cpuQuota: 1.5,
    });
  });

  it('reads cgroup v2 at the mount root inside a container, with no limits', () => {
    const root = makeRoot({
      'proc/meminfo': MEMINFO,
      'proc/self/cgroup': '0::/\n',
      'sys/fs/cgroup/memory.max': 'max\n',
      'sys/fs/cgroup/memory.current': '5000\n',
      'sys/fs/cgroup/cpu.max': 'max 100000\n',
    });
    const readings = readContainerReadings(root);
    assert.deepEqual([readings.cgroupMemoryLimitBytes, readings.cgroupMemoryUsageBytes, readings.cpuQuota], [null, 5000, null]);
  });

  it('falls back to cgroup v1', () => {
    const root = makeRoot({
      'proc/self/cgroup': '4:memory:/docker/abc\n2:cpu,cpuacct:/docker/abc\n',
      'sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes': '1073741824\n',
      'sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes': '536870912\n',
      'sys/fs/cgroup/cpu/docker/abc/cpu.cfs_quota_us': '200000\n',
      'sys/fs/cgroup/cpu/docker/abc/cpu.cfs_period_us': '100000\n',
    });
    assert.deepEqual(readContainerReadings(root), {
      hostAvailableMemoryBytes: null,
      cgroupMemoryLimitBytes: 1_073_741_824,
      cgroupMemoryUsageBytes: 536_870_912,
      cpuQuota: 2,
    });
  });

  it('reports nothing for an empty machine rather than failing', () => {
    assert.deepEqual(readContainerReadings(makeRoot({})), {
      hostAvailableMemoryBytes: null,
      cgroupMemoryLimitBytes: null,
      cgroupMemoryUsageBytes: null,
      cpuQuota: null,
    });
  });

  it('parses the individual formats', () => {
    assert.equal(parseMemAvailable('MemAvailable: 10 kB'), 10_240);
    assert.equal(parseMemAvailable('MemFree: 10 kB'), null);
    assert.equal(parseLimitBytes('9223372036854771712'), null); // v1 "unlimited"
    assert.equal(parseLimitBytes('max'), null);
    assert.equal(parseCpuMax('50000 100000'), 0.5);
  });
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { describePinning, parseCpuList, pinnedCommand, planPinning, readAllowedCpus } from '../../bench/cpu-pinning.ts';

test('with two or more CPUs the proxy gets the last one and the load the rest', () => {
  assert.deepEqual(planPinning([0, 1], true), { proxyCpus: '1', loadCpus: '0' });
  assert.deepEqual(planPinning([0, 1, 2, 3], true), { proxyCpus: '3', loadCpus: '0,1,2' });
  assert.deepEqual(planPinning([2, 5, 7], true), { proxyCpus: '7', loadCpus: '2,5' });
});

test('one CPU, no CPU list, or pinning turned off pins nothing', () => {
  assert.equal(planPinning([0], true), null);
  assert.equal(planPinning([], true), null);
  assert.equal(planPinning([0, 1], false), null);
  assert.match(describePinning(null), /not pinned/);
  assert.match(describePinning({ proxyCpus: '1', loadCpus: '0' }), /CPU 1 alone.*CPU 0/);
});

test('CPU lists in taskset syntax are read as sorted CPU numbers', () => {
  assert.deepEqual(parseCpuList('0-2,5'), [0, 1, 2, 5]);
  assert.deepEqual(parseCpuList('3, 1'), [1, 3]);
  assert.deepEqual(parseCpuList('0-1,1'), [0, 1]);
});

test('a pinned command runs the program under taskset -c; an unpinned one is unchanged', () => {
  const command = { file: '/usr/bin/node', args: ['x.js', '--flag'] };
  assert.deepEqual(pinnedCommand(command, undefined), command);
  assert.deepEqual(pinnedCommand(command, '1'), { file: 'taskset', args: ['-c', '1', '/usr/bin/node', 'x.js', '--flag'] });
});

test('a pinned child runs only on its CPU', { skip: spawnSync('taskset', ['-V']).status !== 0 || readAllowedCpus().length < 2 }, () => {
  const plan = planPinning(readAllowedCpus(), true);
  assert.ok(plan !== null);
  const command = pinnedCommand({ file: process.execPath, args: ['-e', "process.stdout.write(require('node:fs').readFileSync('/proc/self/status', 'utf8'))"] }, plan.proxyCpus);
  const result = spawnSync(command.file, command.args, { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`^Cpus_allowed_list:\\s*${plan.proxyCpus}$`, 'm'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentileOfSorted, sortAscending } from '../../src/cli/bench/percentile.ts';

test('nearest rank: always a measured sample', () => {
  const samples = sortAscending([15, 20, 35, 40, 50]);
  assert.equal(percentileOfSorted(samples, 5), 15);
  assert.equal(percentileOfSorted(samples, 30), 20);
  assert.equal(percentileOfSorted(samples, 40), 20);
  assert.equal(percentileOfSorted(samples, 50), 35);
  assert.equal(percentileOfSorted(samples, 100), 50);
});

test('p99 of 100 samples is the 99th, of 10 samples the largest', () => {
  const hundred = Array.from({ length: 100 }, (_, index) => index + 1);
  assert.equal(percentileOfSorted(hundred, 99), 99);
  assert.equal(percentileOfSorted(hundred, 90), 90);
  assert.equal(percentileOfSorted(hundred.slice(0, 10), 99), 10);
});

test('one sample is every percentile; none gives null', () => {
  assert.equal(percentileOfSorted([7], 1), 7);
  assert.equal(percentileOfSorted([7], 99), 7);
  assert.equal(percentileOfSorted([], 50), null);
});

test('percentiles outside (0, 100] are refused', () => {
  assert.throws(() => percentileOfSorted([1], 0), RangeError);
  assert.throws(() => percentileOfSorted([1], 101), RangeError);
  assert.throws(() => percentileOfSorted([1], Number.NaN), RangeError);
});

test('sorts numerically, not as strings, and leaves the input alone', () => {
  const samples = [10, 9, 100, 1];
  assert.deepEqual(sortAscending(samples), [1, 9, 10, 100]);
  assert.deepEqual(samples, [10, 9, 100, 1]);
});

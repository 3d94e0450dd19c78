import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conversationAffinityKey, headerAffinityKey } from '../../src/upstreams/affinity-key.ts';
import { chooseNode, hasFreeSlot, homeNode, type NodeView } from '../../src/upstreams/choose-node.ts';

function node(name: string, fields: Partial<NodeView> = {}): NodeView {
  return { name, weight: 1, loaded: false, modelInFlight: 0, modelSlots: 2, nodeInFlight: 0, nodeBudget: null, ...fields };
}

test('a node is full when its model slots or its own budget are used up', () => {
  assert.equal(hasFreeSlot(node('a', { modelInFlight: 1 })), true);
  assert.equal(hasFreeSlot(node('a', { modelInFlight: 2 })), false);
  assert.equal(hasFreeSlot(node('a', { nodeInFlight: 4, nodeBudget: 4 })), false);
});

test('loaded-least-busy prefers the warm node, then spreads when it is full', () => {
  const warm = node('warm', { loaded: true, modelInFlight: 1 });
  const cold = node('cold');
  assert.equal(chooseNode('loaded-least-busy', [cold, warm], { rotation: 0 })?.name, 'warm');
  assert.equal(chooseNode('loaded-least-busy', [cold, { ...warm, modelInFlight: 2 }], { rotation: 0 })?.name, 'cold');
  assert.equal(chooseNode('loaded-least-busy', [node('a', { modelInFlight: 2 })], { rotation: 0 }), undefined);
});

test('least-busy takes the lowest in-flight relative to slots, ties by weight', () => {
  const nodes = [node('a', { modelInFlight: 1, loaded: true }), node('b'), node('c', { weight: 3 })];
  assert.equal(chooseNode('least-busy', nodes, { rotation: 0 })?.name, 'c');
  // a node budget half used counts as half busy even with no request of this model
  assert.equal(chooseNode('least-busy', [node('a', { modelInFlight: 1, modelSlots: 4 }), node('b', { nodeInFlight: 2, nodeBudget: 4 })], { rotation: 0 })?.name, 'a');
});

test('round-robin walks the free nodes in order', () => {
  const nodes = [node('a'), node('b'), node('c', { modelInFlight: 2 })];
  assert.deepEqual([0, 1, 2, 3].map((rotation) => chooseNode('round-robin', nodes, { rotation })?.name), ['a', 'b', 'a', 'b']);
});

test('a retry avoids the node that failed unless no other is free', () => {
  const nodes = [node('a', { loaded: true }), node('b')];
  assert.equal(chooseNode('loaded-least-busy', nodes, { rotation: 0, avoid: new Set(['a']) })?.name, 'b');
  assert.equal(chooseNode('loaded-least-busy', [node('a')], { rotation: 0, avoid: new Set(['a']) })?.name, 'a');
});

test('affinity keeps a key on its home node while free, and falls back to the default order when full', () => {
  const nodes = [node('a'), node('b'), node('c')];
  const keys = Array.from({ length: 30 }, (_, index) => `conversation-${index}`);
  const homes = keys.map((key) => homeNode(nodes, key)?.name);
  assert.ok(new Set(homes).size === 3, 'keys spread over all nodes');
  for (const [index, key] of keys.entries()) assert.equal(chooseNode('affinity', nodes, { rotation: index, affinityKey: key })?.name, homes[index]);
  const home = homes[0]!;
  const full = nodes.map((entry) => (entry.name === home ? { ...entry, modelInFlight: 2 } : entry));
  const other = chooseNode('affinity', full, { rotation: 0, affinityKey: keys[0] });
  assert.ok(other !== undefined && other.name !== home);
  // removing a node moves only the keys that lived on it
  const withoutC = nodes.filter((entry) => entry.name !== 'c');
  for (const [index, key] of keys.entries()) if (homes[index] !== 'c') assert.equal(homeNode(withoutC, key)?.name, homes[index]);
});

test('the conversation key depends on the system prompt and first user message only', () => {
  const first = conversationAffinityKey([{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }]);
  const later = conversationAffinityKey([{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'more' }]);
  assert.equal(first, later);
  assert.notEqual(first, conversationAffinityKey([{ role: 'system', content: 'be long' }, { role: 'user', content: 'hi' }]));
  assert.equal(conversationAffinityKey([{ role: 'system', content: 'x' }]), undefined);
  assert.equal(headerAffinityKey(' s-1 '), 's-1');
  assert.equal(headerAffinityKey(''), undefined);
});

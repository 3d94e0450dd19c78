import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { chatBody, get, parseLines, post } from './sim-http.ts';

const fixtureDirectory = new URL('../fixtures/ollama/', import.meta.url);

function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, fixtureDirectory), 'utf8'));
}

function readFixtureLines(name: string): Array<Record<string, unknown>> {
  return parseLines(readFileSync(new URL(name, fixtureDirectory), 'utf8'));
}

/** The keys and JSON types of a value, recursively; arrays are described by their first element. */
function describeShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? ['empty'] : [describeShape(value[0])];
  if (value === null) return 'null';
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(record).sort().map((key) => [key, describeShape(record[key])]));
  }
  return typeof value;
}

function assertSameShape(actual: unknown, expected: unknown, what: string): void {
  assert.deepEqual(describeShape(actual), describeShape(expected), what);
}

function assertSameLines(actual: unknown[], expected: unknown[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: line count`);
  for (const [index, line] of expected.entries()) assertSameShape(actual[index], line, `${what}: line ${index}`);
}

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_current_weather',
    parameters: { type: 'object', required: ['location', 'format'], properties: { location: { type: 'string' }, format: { type: 'string', enum: ['celsius', 'fahrenheit'] } } },
  },
};

describe('the simulator answers in the shapes of the native fixtures', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.close());

  test('streamed chat: content lines and the done line', async () => {
    const fixture = readFixtureLines('chat-stream.ndjson');
    const lines = parseLines((await post(sim.url, '/api/chat', chatBody('llama3.2', 'why is the sky blue'))).text);
    assertSameShape(lines[0], fixture[0], 'content line');
    assertSameShape(lines.at(-1), fixture.at(-1), 'done line');
  });

  test('streamed chat from a thinking model: thinking lines, content lines, done line', async () => {
    const fixture = readFixtureLines('chat-stream-thinking.ndjson');
    const lines = parseLines((await post(sim.url, '/api/chat', chatBody('qwen3', 'hello'))).text);
    assertSameShape(lines[0], fixture[0], 'thinking line');
    assertSameShape(lines.find((line) => (line['message'] as { content: string }).content !== ''), fixture[2], 'content line');
    assertSameShape(lines.at(-1), fixture.at(-1), 'done line');
  });

  test('tool calls, streamed and not', async () => {
    const streamed = parseLines((await post(sim.url, '/api/chat', chatBody('llama3.2', 'get_current_weather in Paris', { tools: [weatherTool] }))).text);
    const fixture = readFixtureLines('chat-stream-tool-call.ndjson');
    assertSameLines(streamed, fixture, 'streamed tool call');
    const whole = JSON.parse((await post(sim.url, '/api/chat', chatBody('llama3.2', 'get_current_weather in Paris', { tools: [weatherTool], stream: false }))).text);
    assertSameShape(whole, readFixture('chat-tool-call.json'), 'non-streamed tool call');
  });

  test('non-streamed chat and the load answer', async () => {
    const whole = JSON.parse((await post(sim.url, '/api/chat', chatBody('llama3.2', 'hello', { stream: false }))).text);
    assertSameShape(whole, readFixture('chat.json'), 'chat');
    const load = JSON.parse((await post(sim.url, '/api/chat', { model: 'llama3.2', messages: [] })).text);
    assertSameShape(load, readFixture('chat-load.json'), 'load');
  });

  test('mid-stream error: same lines and the error last line', async () => {
    sim.injectFault({ kind: 'errorLine', route: '/api/chat', afterTokens: 2 });
    const response = await post(sim.url, '/api/chat', chatBody('llama3.2', 'hello'));
    assert.equal(response.status, 200);
    assertSameLines(parseLines(response.text), readFixtureLines('chat-stream-error.ndjson'), 'error stream');
  });

  test('generate, streamed and not, with context', async () => {
    const fixture = readFixtureLines('generate-stream.ndjson');
    const lines = parseLines((await post(sim.url, '/api/generate', { model: 'llama3.2', prompt: 'why is the sky blue' })).text);
    assertSameShape(lines[0], fixture[0], 'response line');
    assertSameShape(lines.at(-1), fixture.at(-1), 'done line');
    const whole = JSON.parse((await post(sim.url, '/api/generate', { model: 'llama3.2', prompt: 'why', stream: false })).text);
    assertSameShape(whole, readFixture('generate.json'), 'non-streamed generate');
  });

  test('embed and the deprecated embeddings', async () => {
    const embed = JSON.parse((await post(sim.url, '/api/embed', { model: 'nomic-embed-text', input: 'hello world' })).text);
    assertSameShape(embed, readFixture('embed.json'), 'embed');
    const legacy = JSON.parse((await post(sim.url, '/api/embeddings', { model: 'nomic-embed-text', prompt: 'hello' })).text);
    assertSameShape(legacy, readFixture('embeddings.json'), 'embeddings');
  });

  test('tags, ps, show and version', async () => {
    assertSameShape(JSON.parse((await get(sim.url, '/api/tags')).text), readFixture('tags.json'), 'tags');
    await post(sim.url, '/api/generate', { model: 'llama3.2', prompt: 'load it' });
    assertSameShape(JSON.parse((await get(sim.url, '/api/ps')).text), readFixture('ps.json'), 'ps');
    assertSameShape(JSON.parse((await post(sim.url, '/api/show', { model: 'llama3.2' })).text), readFixture('show.json'), 'show');
    assertSameShape(JSON.parse((await get(sim.url, '/api/version')).text), readFixture('version.json'), 'version');
  });

  test('pull progress and an unknown name', async () => {
    const lines = parseLines((await post(sim.url, '/api/pull', { model: 'phi4' })).text);
    const fixture = readFixtureLines('pull-stream.ndjson');
    for (const [index, fixtureLine] of fixture.entries()) {
      const status = fixtureLine['status'] as string;
      const match = lines.find((line) => (status.startsWith('pulling ') && status !== 'pulling manifest' ? String(line['status']).startsWith('pulling ') && line['status'] !== 'pulling manifest' && ('completed' in line) === ('completed' in fixtureLine) : line['status'] === status));
      assert.ok(match, `a line like fixture line ${index}`);
      assertSameShape(match, fixtureLine, `pull line ${index}`);
    }
    assertSameLines(parseLines((await post(sim.url, '/api/pull', { model: 'missing-model' })).text), readFixtureLines('pull-unknown.ndjson'), 'unknown');
  });

  test('error bodies', async () => {
    const notFound = await post(sim.url, '/api/chat', chatBody('nope', 'hi'));
    assert.equal(notFound.text, JSON.stringify(readFixture('error-model-not-found.json')));
    const embedNotFound = await post(sim.url, '/api/embed', { model: 'nope', input: 'hi' });
    assert.equal(embedNotFound.text, JSON.stringify(readFixture('error-embed-model-not-found.json')));
    const required = await post(sim.url, '/api/chat', { messages: [] });
    assert.equal(required.text, JSON.stringify(readFixture('error-model-required.json')));
    sim.injectFault({ kind: 'status503busy' });
    const busy = await post(sim.url, '/api/chat', chatBody('llama3.2', 'hi'));
    assert.equal(busy.status, 503);
    assert.equal(busy.text, JSON.stringify(readFixture('error-busy.json')));
  });
});

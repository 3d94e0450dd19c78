import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { chatBody, parseLines, post } from './sim-http.ts';

interface ChatLine {
  model: string;
  message: { role: string; content: string; thinking?: string; tool_calls?: Array<{ id: string; function: { index: number; name: string; arguments: Record<string, unknown> } }> };
  done: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
}

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a place',
    parameters: {
      type: 'object',
      required: ['location', 'unit', 'days', 'detailed'],
      properties: {
        location: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer' },
        detailed: { type: 'boolean' },
        note: { type: 'string' },
      },
    },
  },
};

describe('/api/chat', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.close());

  async function chatLines(body: Record<string, unknown>): Promise<ChatLine[]> {
    const response = await post(sim.url, '/api/chat', body);
    assert.equal(response.status, 200, response.text);
    assert.equal(response.contentType, 'application/x-ndjson');
    return parseLines(response.text) as unknown as ChatLine[];
  }

  async function chatWhole(body: Record<string, unknown>): Promise<ChatLine> {
    const response = await post(sim.url, '/api/chat', { ...body, stream: false });
    assert.equal(response.status, 200, response.text);
    assert.match(response.contentType, /^application\/json/);
    return JSON.parse(response.text) as ChatLine;
  }

  test('streams by default: one line per token, then a done line with stop and counts', async () => {
    const lines = await chatLines(chatBody('llama3.2', 'tell me about the sky'));
    assert.equal(lines.length, 13);
    assert.ok(lines.slice(0, -1).every((line) => !line.done && line.message.role === 'assistant' && line.message.content !== ''));
    const done = lines.at(-1)!;
    assert.equal(done.done, true);
    assert.equal(done.done_reason, 'stop');
    assert.equal(done.message.content, '');
    assert.equal(done.eval_count, 12);
    assert.equal(done.prompt_eval_count, 5);
    assert.equal(done.model, 'llama3.2', 'the model is echoed as sent');
  });

  test('the same request gives the same answer; stream:false concatenates it', async () => {
    const body = chatBody('llama3.2', 'a deterministic question');
    const first = (await chatLines(body)).map((line) => line.message.content).join('');
    const second = (await chatLines(body)).map((line) => line.message.content).join('');
    assert.equal(first, second);
    assert.equal((await chatWhole(body)).message.content, first);
    const other = (await chatLines(chatBody('llama3.2', 'a different question'))).map((line) => line.message.content).join('');
    assert.notEqual(other, first);
  });

  test('answers contain multi-byte UTF-8 characters for some prompts', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, index) => chatWhole(chatBody('llama3.2', `prompt number ${index}`))));
    assert.ok(answers.some((answer) => Buffer.byteLength(answer.message.content) > answer.message.content.length));
  });

  test('prompt_eval_count counts the words of all messages', async () => {
    const done = await chatWhole({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'one two three' },
      ],
    });
    assert.equal(done.prompt_eval_count, 5);
  });

  test('options.num_predict stops the answer with done_reason length', async () => {
    const lines = await chatLines(chatBody('llama3.2', 'long answer please', { options: { num_predict: 3 } }));
    assert.equal(lines.length, 4);
    assert.equal(lines.at(-1)!.done_reason, 'length');
    assert.equal(lines.at(-1)!.eval_count, 3);
  });

  test('tokensPerAnswer changes the answer length at run time', async () => {
    sim.setOptions({ tokensPerAnswer: 4 });
    try {
      assert.equal((await chatLines(chatBody('llama3.2', 'short'))).length, 5);
    } finally {
      sim.setOptions({ tokensPerAnswer: 12 });
    }
  });

  test('a thinking model thinks first by default; think:false turns it off', async () => {
    const lines = await chatLines(chatBody('qwen3', 'ponder this'));
    assert.ok(lines[0]!.message.thinking !== undefined && lines[0]!.message.thinking !== '');
    assert.equal(lines[0]!.message.content, '');
    const firstContent = lines.findIndex((line) => line.message.content !== '');
    assert.ok(firstContent > 0);
    assert.ok(lines.slice(firstContent).every((line) => line.message.thinking === undefined));
    const whole = await chatWhole(chatBody('qwen3', 'ponder this'));
    assert.ok((whole.message.thinking ?? '').length > 0);
    const plain = await chatWhole(chatBody('qwen3', 'ponder this', { think: false }));
    assert.equal(plain.message.thinking, undefined);
  });

  test('think on a model without thinking is a 400', async () => {
    const response = await post(sim.url, '/api/chat', chatBody('llama3.2', 'hi', { think: true }));
    assert.equal(response.status, 400);
    assert.deepEqual(JSON.parse(response.text), { error: '"llama3.2" does not support thinking' });
    assert.equal((await post(sim.url, '/api/chat', chatBody('llama3.2', 'hi', { think: false, stream: false }))).status, 200);
  });

  test('a prompt naming a tool gets a tool call with arguments built from its schema', async () => {
    const whole = await chatWhole(chatBody('llama3.2', 'what does get_weather say for Paris?', { tools: [weatherTool] }));
    assert.equal(whole.message.content, '');
    assert.equal(whole.done_reason, 'stop');
    const [call] = whole.message.tool_calls ?? [];
    assert.ok(call);
    assert.match(call.id, /^call_[a-z0-9]{8}$/);
    assert.equal(call.function.index, 0);
    assert.equal(call.function.name, 'get_weather');
    const { location, unit, days, detailed } = call.function.arguments;
    assert.equal(typeof location, 'string');
    assert.equal(unit, 'celsius');
    assert.ok(Number.isInteger(days));
    assert.equal(typeof detailed, 'boolean');
    assert.equal('note' in call.function.arguments, false, 'only required parameters are filled');
    const streamed = await chatLines(chatBody('llama3.2', 'what does get_weather say for Paris?', { tools: [weatherTool] }));
    assert.equal(streamed.length, 2);
    assert.deepEqual(streamed[0]!.message.tool_calls, whole.message.tool_calls);
  });

  test('"call"/"use" picks the first tool; other prompts answer in text', async () => {
    const called = await chatWhole(chatBody('llama3.2', 'please use a tool', { tools: [weatherTool] }));
    assert.equal(called.message.tool_calls?.[0]?.function.name, 'get_weather');
    const text = await chatWhole(chatBody('llama3.2', 'just chat with me', { tools: [weatherTool] }));
    assert.equal(text.message.tool_calls, undefined);
    assert.notEqual(text.message.content, '');
  });

  test('a tool result gets a text answer that quotes it', async () => {
    const whole = await chatWhole({
      model: 'llama3.2',
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'get_weather for Paris' },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { location: 'Paris' } } }] },
        { role: 'tool', tool_name: 'get_weather', content: 'sunny 22 degrees' },
      ],
    });
    assert.equal(whole.message.tool_calls, undefined);
    assert.match(whole.message.content, /sunny 22 degrees/);
  });

  test('tools offered to a model without the tools capability are a 400', async () => {
    const response = await post(sim.url, '/api/chat', chatBody('gemma3', 'hi', { tools: [weatherTool] }));
    assert.equal(response.status, 400);
    assert.deepEqual(JSON.parse(response.text), { error: 'registry.ollama.ai/library/gemma3:latest does not support tools' });
  });

  test('format json gives a JSON object, streamed in pieces', async () => {
    const lines = await chatLines(chatBody('llama3.2', 'answer in json', { format: 'json' }));
    assert.ok(lines.length > 3);
    const parsed: unknown = JSON.parse(lines.map((line) => line.message.content).join(''));
    assert.equal(typeof parsed, 'object');
    assert.ok(parsed !== null && !Array.isArray(parsed));
  });

  test('a JSON schema format gives a value that validates against it', async () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 3 },
        age: { type: 'integer', minimum: 18, maximum: 30 },
        score: { type: 'number' },
        active: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
        level: { enum: ['low', 'high'] },
        address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
      required: ['name', 'age', 'score', 'active', 'tags', 'level', 'address'],
    };
    const whole = await chatWhole(chatBody('llama3.2', 'fill the form', { format: schema }));
    const value = JSON.parse(whole.message.content) as Record<string, unknown>;
    assert.ok(typeof value['name'] === 'string' && value['name'].length >= 3);
    assert.ok(Number.isInteger(value['age']) && (value['age'] as number) >= 18 && (value['age'] as number) <= 30);
    assert.equal(typeof value['score'], 'number');
    assert.equal(typeof value['active'], 'boolean');
    assert.ok(Array.isArray(value['tags']) && value['tags'].length >= 1 && value['tags'].every((tag) => typeof tag === 'string'));
    assert.equal(value['level'], 'low');
    assert.equal(typeof (value['address'] as { city: unknown }).city, 'string');
  });

  test('images are accepted, by vision and non-vision models alike', async () => {
    const image = Buffer.from('not really a png').toString('base64');
    for (const model of ['llava', 'llama3.2']) {
      const response = await post(sim.url, '/api/chat', { model, stream: false, messages: [{ role: 'user', content: 'what is this', images: [image] }] });
      assert.equal(response.status, 200, model);
    }
  });

  test('no messages loads the model (done_reason load); keep_alive 0 unloads it', async () => {
    const load = JSON.parse((await post(sim.url, '/api/chat', { model: 'gemma3', messages: [] })).text) as ChatLine;
    assert.equal(load.done_reason, 'load');
    assert.equal(load.done, true);
    const unload = JSON.parse((await post(sim.url, '/api/chat', { model: 'gemma3', messages: [], keep_alive: 0 })).text) as ChatLine;
    assert.equal(unload.done_reason, 'unload');
  });

  test('errors before the stream: Ollama texts and status codes', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ messages: [] }, 400, 'model is required'],
      [chatBody('nope', 'hi'), 404, "model 'nope' not found"],
      [chatBody('nomic-embed-text', 'hi'), 400, '"nomic-embed-text" does not support chat'],
      [chatBody('llama3.2', 'hi', { keep_alive: '10' }), 400, 'time: missing unit in duration "10"'],
      [{ model: 5, messages: [] }, 400, 'json: cannot unmarshal number into Go struct field ChatRequest.model of type string'],
      ['{"model": x}', 400, "invalid character 'x' looking for beginning of value"],
      ['{"model": "llama3.2"', 400, 'unexpected EOF'],
      ['', 400, 'missing request body'],
      [chatBody('llama3.2', 'hi', { keep_alive: true }), 400, "Unsupported type: 'bool'"],
      [chatBody('llama3.2', 'hi', { top_logprobs: 21 }), 400, 'top_logprobs must be between 0 and 20'],
      [chatBody('nope', 'hi', { top_logprobs: -1 }), 400, 'top_logprobs must be between 0 and 20'],
      [chatBody('llama3.2', 'hi', { options: { num_predict: 'x' } }), 500, 'option "num_predict" must be of type integer'],
      [chatBody('llama3.2', 'hi', { options: { use_mmap: 1 } }), 500, 'option "use_mmap" must be of type boolean'],
      [chatBody('llama3.2', 'hi', { options: { stop: ['a', 1] } }), 500, 'option "stop" must be of an array of strings'],
    ];
    for (const [body, status, message] of cases) {
      const response = await post(sim.url, '/api/chat', body);
      assert.equal(response.status, status, String(body));
      assert.match(response.contentType, /^application\/json/);
      assert.deepEqual(JSON.parse(response.text), { error: message });
    }
  });

  test('stats remember the last body and count requests per route', async () => {
    const before = sim.stats.requests['/api/chat'] ?? 0;
    await chatWhole(chatBody('llama3.2', 'remember me'));
    assert.equal(sim.stats.requests['/api/chat'], before + 1);
    assert.deepEqual(sim.stats.lastBody['/api/chat'], { ...chatBody('llama3.2', 'remember me'), stream: false });
  });
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';

let stack: TestStack;
before(async () => {
  stack = await startStack({ requireSimulator: true });
});
after(() => stack.close());

/** The legacy completions logprobs describe the choice's text token by token. */
function assertDescribesText(text: string, logprobs: { tokens?: string[]; token_logprobs?: number[]; top_logprobs?: Array<Record<string, number>>; text_offset?: number[] } | null, top: number): void {
  assert.ok(logprobs, 'logprobs present');
  const { tokens = [], token_logprobs = [], top_logprobs = [], text_offset = [] } = logprobs;
  assert.ok(tokens.length > 0);
  assert.equal(tokens.join(''), text);
  assert.equal(token_logprobs.length, tokens.length);
  assert.equal(top_logprobs.length, tokens.length);
  for (const [index, token] of tokens.entries()) {
    assert.equal(text.slice(text_offset[index], text_offset[index]! + token.length), token);
    assert.equal(Object.keys(top_logprobs[index]!).length, top);
    assert.equal(top_logprobs[index]![token], token_logprobs[index]);
  }
}

test('completions logprobs round trip with the openai SDK: tokens, token_logprobs, top_logprobs, text_offset', async () => {
  const completion = await stack.openai.completions.create({ model: 'llama3.2', prompt: 'Say hello', logprobs: 2 });
  const choice = completion.choices[0]!;
  assertDescribesText(choice.text, choice.logprobs, 2);
});

test('streamed completions carry each chunk\'s logprobs, offsets continuing across chunks', async () => {
  const stream = await stack.openai.completions.create({ model: 'llama3.2', prompt: 'Say hello', logprobs: 1, stream: true });
  let text = '';
  const merged = { tokens: [] as string[], token_logprobs: [] as number[], top_logprobs: [] as Array<Record<string, number>>, text_offset: [] as number[] };
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    if (choice === undefined) continue;
    text += choice.text;
    if (choice.logprobs) {
      merged.tokens.push(...(choice.logprobs.tokens ?? []));
      merged.token_logprobs.push(...(choice.logprobs.token_logprobs ?? []));
      merged.top_logprobs.push(...(choice.logprobs.top_logprobs ?? []));
      merged.text_offset.push(...(choice.logprobs.text_offset ?? []));
    }
  }
  assertDescribesText(text, merged, 1);
});

test('without logprobs the choices carry logprobs: null', async () => {
  const completion = await stack.openai.completions.create({ model: 'llama3.2', prompt: 'Say hello' });
  assert.equal(completion.choices[0]!.logprobs, null);
});

import { createParser } from 'eventsource-parser';

/**
 * The `data` payloads of a server-sent event stream, in order, ending at OpenAI's `[DONE]` sentinel
 * or at the end of the body. Bytes are decoded as a stream so a UTF-8 character split across chunks
 * survives; event framing is eventsource-parser's.
 */
export async function* readSseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const pending: string[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event.data) });
  for await (const chunk of body) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    while (pending.length > 0) {
      const data = pending.shift() ?? '';
      if (data === '[DONE]') return;
      yield data;
    }
  }
  parser.feed(decoder.decode());
  // A final event without its blank line is incomplete by the SSE rules, so it is not dispatched.
  for (const data of pending) {
    if (data === '[DONE]') return;
    yield data;
  }
}

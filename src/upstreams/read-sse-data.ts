/**
 * The `data:` payloads of a Server-Sent Events body, one per event, as they arrive: events split
 * across chunks and UTF-8 characters split across chunks are put back together; comments and other
 * fields are skipped. Multi-line data is joined with `\n`, as the SSE specification says.
 */
export async function* readSseData(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffered = '';
  let data: string[] = [];
  for await (const chunk of body) {
    buffered += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline = buffered.indexOf('\n');
    while (newline !== -1) {
      const line = buffered.slice(0, newline).replace(/\r$/, '');
      buffered = buffered.slice(newline + 1);
      if (line === '') {
        if (data.length > 0) yield data.join('\n');
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
      newline = buffered.indexOf('\n');
    }
  }
  buffered += decoder.decode();
  if (buffered.startsWith('data:')) data.push(buffered.slice(buffered.startsWith('data: ') ? 6 : 5));
  if (data.length > 0) yield data.join('\n');
}

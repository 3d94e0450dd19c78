import { FUZZ_KEY } from './fuzz-routes.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { FuzzRequest } from '../support/send-raw-request.ts';

/** Requests that are not valid HTTP/1.1: Node's parser refuses them before the app sees anything. */
const MALFORMED: ReadonlyArray<{ label: string; raw: (path: string) => string; truncated?: boolean; acceptedByNode?: boolean }> = [
  { label: 'garbage-line', raw: () => 'GARBAGE\r\n\r\n' },
  // Read as HTTP/0.9 and served: nothing to refuse, but it must not break anything.
  { label: 'no-version', raw: (path) => `GET ${path}\r\nconnection: close\r\n\r\n`, acceptedByNode: true },
  { label: 'bad-version', raw: (path) => `GET ${path} HTTP/9.9\r\nhost: 127.0.0.1\r\n\r\n` },
  { label: 'space-in-target', raw: (path) => `GET ${path} x HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n` },
  { label: 'bad-header-name', raw: (path) => `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nbad header: v\r\n\r\n` },
  { label: 'header-without-colon', raw: (path) => `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\njust-a-name\r\n\r\n` },
  { label: 'control-char-in-header', raw: (path) => `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-a: b\u0001c\r\n\r\n` },
  { label: 'bare-lf', raw: (path) => `GET ${path} HTTP/1.1\nhost: x\n\n` },
  { label: 'two-content-lengths', raw: (path) => `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 3\r\ncontent-length: 5\r\n\r\n{}{}{` },
  { label: 'cl-and-te', raw: (path) => `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 4\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n` },
  { label: 'bad-chunk-size', raw: (path) => `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n` },
  { label: 'negative-content-length', raw: (path) => `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: -1\r\n\r\n` },
  { label: 'huge-content-length', raw: (path) => `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 99999999999999999999999\r\n\r\n{}` },
  { label: 'non-ascii-target', raw: (path) => `GET ${path}/\u00ff\u00fe HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n` },
  { label: 'chunked-truncated', raw: (path) => `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n\r\n40\r\n{"model":`, truncated: true },
  { label: 'headers-truncated', raw: (path) => `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-le`, truncated: true },
];

/** One request that breaks HTTP's framing, to a route of either dialect, carrying the key. */
export function generateMalformedHttp(random: SeededRandom): FuzzRequest {
  const path = random.pick(['/v1/chat/completions', '/api/chat', '/api/tags', '/v1/models', '/healthz']);
  const kind = random.pick(MALFORMED);
  // The key comes first so a parser that stops at the fault has already seen it (it must not pass it on).
  const text = kind.raw(path).replace(/\r?\n/, (lineEnd) => `${lineEnd}authorization: Bearer ${FUZZ_KEY}${lineEnd}`);
  return {
    label: `malformed-http+${kind.label}`,
    method: '',
    target: path,
    headers: [],
    body: Buffer.alloc(0),
    raw: Buffer.from(text, 'latin1'),
    refused: kind.acceptedByNode !== true,
    ...(kind.truncated ? { truncated: true } : {}),
  };
}

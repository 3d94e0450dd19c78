import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { classifyRefusedAddress } from '../../src/images/classify-address.ts';
import { fetchImage, ImageFetchError, type ImageFetchSettings } from '../../src/images/fetch-image.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const open: ImageFetchSettings = { allowPrivateNetworks: true, maxBytes: 1024, timeoutMs: 5_000, maxRedirects: 2 };
const guarded: ImageFetchSettings = { ...open, allowPrivateNetworks: false };

async function assertRefused(promise: Promise<unknown>, reason: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof ImageFetchError && reason.test(error.message));
}

describe('classifyRefusedAddress', () => {
  test('public unicast addresses pass; every other kind is refused with its name', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700::1111', '::ffff:8.8.8.8']) assert.equal(classifyRefusedAddress(address), undefined, address);
    const refused: Record<string, RegExp> = {
      '127.0.0.1': /loopback/,
      '127.255.0.9': /loopback/,
      '::1': /loopback/,
      '10.0.0.1': /private/,
      '172.16.5.4': /private/,
      '192.168.1.1': /private/,
      'fd00:ec2::254': /private/,
      '169.254.169.254': /link-local.*metadata/,
      'fe80::1': /link-local/,
      '100.64.0.1': /carrier-grade/,
      '0.0.0.0': /unspecified/,
      '::': /unspecified/,
      '224.0.0.1': /multicast/,
      'ff02::1': /multicast/,
      '::ffff:127.0.0.1': /loopback/,
      '::ffff:a9fe:a9fe': /link-local/,
      '64:ff9b::a00:1': /private/,
      '2002:c0a8:101::': /private/,
    };
    for (const [address, reason] of Object.entries(refused)) assert.match(classifyRefusedAddress(address) ?? '', reason, address);
  });
});

describe('fetchImage from an image server on loopback', () => {
  let server: Server;
  let base: string;
  const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>([
    ['/pixel.png', (_req, res) => res.writeHead(200, { 'content-type': 'image/png; charset=binary' }).end(PNG)],
    ['/page.html', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>')],
    ['/missing', (_req, res) => res.writeHead(404).end()],
    ['/big-declared', (_req, res) => res.writeHead(200, { 'content-type': 'image/png', 'content-length': '4096' }).end(Buffer.alloc(4096))],
    ['/big-chunked', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(Buffer.alloc(1000));
      res.end(Buffer.alloc(1000));
    }],
    ['/redirect-once', (_req, res) => res.writeHead(302, { location: '/pixel.png' }).end()],
    ['/redirect-loop', (_req, res) => res.writeHead(302, { location: '/redirect-loop' }).end()],
    ['/redirect-file', (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end()],
    ['/redirect-other-host', (_req, res) => res.writeHead(302, { location: `http://127.0.0.2:${(server.address() as AddressInfo).port}/pixel.png` }).end()],
    ['/never', () => undefined],
  ]);
  const seen: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.headers.host} ${req.url}`);
      (routes.get(req.url ?? '') ?? ((_q, r) => r.writeHead(500).end()))(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test('returns the bytes and the media type', async () => {
    const image = await fetchImage(`${base}/pixel.png`, open);
    assert.equal(image.mediaType, 'image/png');
    assert.deepEqual(Buffer.from(image.base64, 'base64'), PNG);
  });

  test('connects to the address that was checked, whatever the name resolves to later', async () => {
    const port = (server.address() as AddressInfo).port;
    let lookups = 0;
    const image = await fetchImage(`http://images.invalid:${port}/pixel.png`, open, {
      resolveHost: async () => {
        lookups++;
        return { address: '127.0.0.1', family: 4 };
      },
    });
    assert.equal(image.mediaType, 'image/png');
    assert.equal(lookups, 1, 'the name is resolved once');
    assert.ok(seen.includes(`images.invalid:${port} /pixel.png`), 'the Host header keeps the name');
  });

  test('follows a redirect, and refuses more than maxRedirects', async () => {
    assert.equal((await fetchImage(`${base}/redirect-once`, open)).mediaType, 'image/png');
    await assertRefused(fetchImage(`${base}/redirect-loop`, open), /more than 2 redirects/);
  });

  test('each redirect hop is checked again: scheme and address', async () => {
    await assertRefused(fetchImage(`${base}/redirect-file`, open), /file scheme is not fetched/);
    const before = seen.length;
    const classifyAddress = (address: string): string | undefined => (address === '127.0.0.2' ? 'a refused test address' : undefined);
    await assertRefused(fetchImage(`${base}/redirect-other-host`, guarded, { classifyAddress }), /127\.0\.0\.2 is a refused test address/);
    assert.equal(seen.slice(before).length, 1, 'the refused hop was never contacted');
  });

  test('refuses what is not an image, a failed answer, and an image over the size cap', async () => {
    await assertRefused(fetchImage(`${base}/page.html`, open), /text\/html, not an image/);
    await assertRefused(fetchImage(`${base}/missing`, open), /HTTP 404/);
    await assertRefused(fetchImage(`${base}/big-declared`, open), /larger than 1024 bytes/);
    await assertRefused(fetchImage(`${base}/big-chunked`, open), /larger than 1024 bytes/);
  });

  test('gives up after timeoutMs', async () => {
    await assertRefused(fetchImage(`${base}/never`, { ...open, timeoutMs: 50 }), /in time/);
  });
});

describe('fetchImage guards that refuse before connecting', () => {
  test('private, loopback, link-local and metadata addresses, literal or resolved', async () => {
    for (const url of ['http://127.0.0.1:9/x.png', 'http://[::1]:9/x.png', 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:127.0.0.1]:9/x.png', 'http://10.0.0.1/x.png', 'http://[fd00::1]/x.png', 'http://0.0.0.0:9/']) {
      await assertRefused(fetchImage(url, guarded), /allowPrivateNetworks/);
    }
    const rebinding = async () => ({ address: '192.168.1.20', family: 4 });
    await assertRefused(fetchImage('http://innocent.invalid/x.png', guarded, { resolveHost: rebinding }), /innocent\.invalid is a private address/);
  });

  test('only http and https; no credentials; names that do not resolve', async () => {
    await assertRefused(fetchImage('file:///etc/passwd', open), /file scheme/);
    await assertRefused(fetchImage('ftp://example.invalid/x.png', open), /ftp scheme/);
    await assertRefused(fetchImage('http://user:pw@127.0.0.1/x.png', open), /credentials/);
    await assertRefused(fetchImage('not a url', open), /not a valid URL/);
    await assertRefused(fetchImage('http://x.invalid/', open, { resolveHost: async () => Promise.reject(new Error('ENOTFOUND')) }), /does not resolve/);
  });
});

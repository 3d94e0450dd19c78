/**
 * Fetches an image URL from a client request with the guards a server-side fetch needs: http(s)
 * only; the host name resolved once and the address checked (`classify-address.ts`) unless private
 * networks are allowed; the connection made to exactly that address (no DNS rebinding between check
 * and connect); redirects followed by hand, each hop checked again; a size cap, an overall timeout
 * and `image/*` content only. Every refusal is an `ImageFetchError` saying why.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import { classifyRefusedAddress } from './classify-address.ts';

export interface ImageFetchSettings {
  allowPrivateNetworks: boolean;
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
}

export interface FetchedImage {
  /** The bytes in standard base64. */
  base64: string;
  /** The `Content-Type` the server sent, without parameters. */
  mediaType: string;
}

export class ImageFetchError extends Error {
  override readonly name = 'ImageFetchError';
}

/** Resolves a host name to one address; replaceable in tests. */
export type ResolveHost = (hostname: string) => Promise<{ address: string; family: number }>;

const resolveWithDns: ResolveHost = async (hostname) => dnsLookup(hostname, { verbatim: true });

export interface FetchImageOptions {
  signal?: AbortSignal | undefined;
  resolveHost?: ResolveHost;
  /** Why an address is refused (`undefined`: allowed); `classifyRefusedAddress` unless private networks are allowed. */
  classifyAddress?: (address: string) => string | undefined;
}

export async function fetchImage(url: string, settings: ImageFetchSettings, options: FetchImageOptions = {}): Promise<FetchedImage> {
  const signal = options.signal === undefined ? AbortSignal.timeout(settings.timeoutMs) : AbortSignal.any([options.signal, AbortSignal.timeout(settings.timeoutMs)]);
  let target = parseImageUrl(url);
  for (let redirects = 0; ; redirects++) {
    const classify = options.classifyAddress ?? (settings.allowPrivateNetworks ? () => undefined : classifyRefusedAddress);
    const address = await resolveChecked(target, classify, options.resolveHost ?? resolveWithDns);
    const response = await requestPinned(target, address, signal);
    if (response.statusCode >= 300 && response.statusCode < 400 && response.headers['location'] !== undefined) {
      await response.body.dump();
      if (redirects >= settings.maxRedirects) throw new ImageFetchError(`more than ${settings.maxRedirects} redirects`);
      target = parseImageUrl(new URL(String(response.headers['location']), target).href);
      continue;
    }
    return readImageBody(response, settings.maxBytes);
  }
}

function parseImageUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ImageFetchError('not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ImageFetchError(`the ${url.protocol.slice(0, -1)} scheme is not fetched: only http and https`);
  if (url.username !== '' || url.password !== '') throw new ImageFetchError('URLs with credentials are not fetched');
  return url;
}

async function resolveChecked(url: URL, classify: (address: string) => string | undefined, resolveHost: ResolveHost): Promise<{ address: string; family: number }> {
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let resolved: { address: string; family: number };
  if (isIP(hostname) !== 0) resolved = { address: hostname, family: isIP(hostname) };
  else {
    try {
      resolved = await resolveHost(hostname);
    } catch {
      throw new ImageFetchError(`the host name ${hostname} does not resolve`);
    }
  }
  const refusal = classify(resolved.address);
  if (refusal !== undefined) throw new ImageFetchError(`${hostname} is ${refusal} (set imageFetch.allowPrivateNetworks to allow it)`);
  return resolved;
}

type PinnedResponse = Awaited<ReturnType<typeof request>>;

/** One connection, to the checked address only: the agent's lookup answers with it whatever name is asked. */
async function requestPinned(url: URL, resolved: { address: string; family: number }, signal: AbortSignal): Promise<PinnedResponse> {
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all === true) callback(null, [{ address: resolved.address, family: resolved.family }]);
    else callback(null, resolved.address, resolved.family);
  };
  const agent = new Agent({ connect: { lookup: pinned }, connections: 1, pipelining: 0 });
  try {
    const response = await request(url, { method: 'GET', dispatcher: agent, signal, headers: { accept: 'image/*' } });
    response.body.once('close', () => void agent.close());
    return response;
  } catch (error) {
    void agent.close();
    if (signal.aborted) throw new ImageFetchError('the image did not arrive in time');
    throw new ImageFetchError(`the image could not be fetched (${(error as { code?: string }).code ?? 'connection failed'})`);
  }
}

async function readImageBody(response: PinnedResponse, maxBytes: number): Promise<FetchedImage> {
  const fail = async (reason: string): Promise<never> => {
    // destroying the body emits its abort as an error; the reason below is what counts
    response.body.on('error', () => undefined);
    response.body.destroy();
    throw new ImageFetchError(reason);
  };
  if (response.statusCode !== 200) return fail(`the image server answered HTTP ${response.statusCode}`);
  const mediaType = String(response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!mediaType.startsWith('image/')) return fail(`the content is ${mediaType === '' ? 'of no stated type' : mediaType}, not an image`);
  const declared = Number(response.headers['content-length'] ?? NaN);
  if (declared > maxBytes) return fail(`the image is larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) return fail(`the image is larger than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof ImageFetchError) throw error;
    throw new ImageFetchError('the image did not arrive whole (or not in time)');
  }
  if (size === 0) throw new ImageFetchError('the image is empty');
  return { base64: Buffer.concat(chunks).toString('base64'), mediaType };
}

/**
 * Which IP addresses a server-side image fetch may connect to. Everything that is not a public
 * unicast address is refused by default: loopback, private (RFC 1918, ULA), link-local (and so the
 * cloud metadata service at 169.254.169.254), CGNAT, multicast, reserved and documentation ranges,
 * IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4) are judged by that IPv4 address.
 */
import { BlockList, isIP } from 'node:net';

const refusedIpv4: ReadonlyArray<readonly [string, number, string]> = [
  ['0.0.0.0', 8, 'an unspecified address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address (cloud metadata lives here)'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a reserved address'],
  ['192.0.2.0', 24, 'a documentation address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
  ['198.51.100.0', 24, 'a documentation address'],
  ['203.0.113.0', 24, 'a documentation address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
];

const refusedIpv6: ReadonlyArray<readonly [string, number, string]> = [
  ['::', 128, 'an unspecified address'],
  ['::1', 128, 'a loopback address'],
  ['100::', 64, 'a discard address'],
  ['2001:db8::', 32, 'a documentation address'],
  ['fc00::', 7, 'a private (unique local) address'],
  ['fe80::', 10, 'a link-local address'],
  ['fec0::', 10, 'a site-local address'],
  ['ff00::', 8, 'a multicast address'],
];

const lists = new Map<string, BlockList>();
for (const [network, prefix, reason] of [...refusedIpv4.map((entry) => [...entry, 'ipv4'] as const), ...refusedIpv6.map((entry) => [...entry, 'ipv6'] as const)]) {
  const list = lists.get(reason) ?? new BlockList();
  list.addSubnet(network, prefix, isIP(network) === 4 ? 'ipv4' : 'ipv6');
  lists.set(reason, list);
}

/** Why `address` may not be fetched from, or `undefined` for a public unicast address. */
export function classifyRefusedAddress(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  if (family === 6) {
    const embedded = readEmbeddedIpv4(address);
    if (embedded !== undefined) return classifyRefusedAddress(embedded);
  }
  for (const [reason, list] of lists) if (list.check(address, family === 4 ? 'ipv4' : 'ipv6')) return reason;
  return undefined;
}

/** The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible, NAT64 (`64:ff9b::/96`) or 6to4 (`2002::/16`) address. */
function readEmbeddedIpv4(address: string): string | undefined {
  const groups = expandIpv6(address);
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups;
  const asIpv4 = (high: number, low: number): string => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && (g5 === 0xffff || g5 === 0) && !(g5 === 0 && g6 === 0)) return asIpv4(g6!, g7!);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return asIpv4(g6!, g7!);
  if (g0 === 0x2002) return asIpv4(g1!, g2!);
  return undefined;
}

/** Eight 16-bit groups of a valid IPv6 address (zone id dropped, dotted IPv4 tail converted). */
function expandIpv6(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  return [...headGroups, ...Array.from({ length: tail === undefined ? 0 : missing }, () => '0'), ...tailGroups].map((group) => Number.parseInt(group, 16));
}

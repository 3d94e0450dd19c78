/**
 * Prints where a `.cpuprofile` (from `node --cpu-prof`) spent its time:
 * `node bench/summarise-cpu-profile.ts FILE [--top N] [--ours PATH-FRAGMENT]`.
 * Three tables: functions by self time (file:line), time by package or area (our code, each
 * node_modules package, node internals, GC, idle), and our own functions by inclusive time, which is
 * what shows an expensive library call made from our hot path.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

/** The parts of V8's CPU profile format this reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Time attributed to one function (or area), in milliseconds. */
export interface TimeEntry {
  name: string;
  milliseconds: number;
}

export interface ProfileSummary {
  totalMilliseconds: number;
  bySelf: TimeEntry[];
  byArea: TimeEntry[];
  oursByInclusive: TimeEntry[];
}

/** Aggregates samples by function, area and (for frames whose URL contains `oursFragment`) inclusive time. */
export function summariseCpuProfile(profile: CpuProfile, oursFragment: string): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const self = new Map<string, number>();
  const area = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalMicroseconds = 0;
  profile.samples.forEach((nodeId, index) => {
    // timeDeltas[i] is the gap before sample i; attributing it to sample i is V8 DevTools' convention.
    const micros = profile.timeDeltas[index] ?? 0;
    const node = nodes.get(nodeId);
    if (node === undefined) return;
    totalMicroseconds += micros;
    add(self, describeFrame(node.callFrame), micros);
    add(area, classifyArea(node.callFrame.url, node.callFrame.functionName), micros);
    const seen = new Set<string>();
    for (let current: number | undefined = nodeId; current !== undefined; current = parents.get(current)) {
      const frame = nodes.get(current)?.callFrame;
      if (frame === undefined || !frame.url.includes(oursFragment)) continue;
      const key = describeFrame(frame);
      if (!seen.has(key)) add(inclusive, key, micros);
      seen.add(key);
    }
  });
  return {
    totalMilliseconds: totalMicroseconds / 1000,
    bySelf: rank(self),
    byArea: rank(area),
    oursByInclusive: rank(inclusive),
  };
}

/** `name (path:line)`, the path shortened to what follows the last `node_modules/` or the repository. */
export function describeFrame(frame: CallFrame): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') return name;
  return `${name} (${shortenUrl(frame.url)}:${frame.lineNumber + 1})`;
}

function shortenUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) return path.slice(modules + 'node_modules/'.length);
  const dist = path.lastIndexOf('/dist/');
  if (dist >= 0) return path.slice(dist + 1);
  const source = path.lastIndexOf('/src/');
  return source >= 0 ? path.slice(source + 1) : path;
}

/** Our compiled code, one entry per npm package, node's own JavaScript, or V8's pseudo-frames. */
function classifyArea(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return `npm: ${parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  return url.includes('/dist/') || url.includes('/src/') ? 'our code' : url;
}

function add(totals: Map<string, number>, key: string, micros: number): void {
  totals.set(key, (totals.get(key) ?? 0) + micros);
}

function rank(totals: Map<string, number>): TimeEntry[] {
  return [...totals]
    .map(([name, micros]) => ({ name, milliseconds: micros / 1000 }))
    .sort((left, right) => right.milliseconds - left.milliseconds);
}

function formatTable(title: string, entries: readonly TimeEntry[], totalMilliseconds: number, top: number): string {
  const lines = entries.slice(0, top).map((entry) => `${entry.milliseconds.toFixed(1).padStart(9)} ms ${((entry.milliseconds / totalMilliseconds) * 100).toFixed(1).padStart(5)} %  ${entry.name}`);
  return [`${title}`, ...lines, ''].join('\n');
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' }, ours: { type: 'string', default: '/dist/' } },
  });
  const file = positionals[0];
  if (file === undefined) {
    process.stderr.write('Usage: node bench/summarise-cpu-profile.ts FILE.cpuprofile [--top N] [--ours /dist/]\n');
    process.exit(2);
  }
  const top = Number(values.top);
  const summary = summariseCpuProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, values.ours);
  const total = summary.totalMilliseconds;
  process.stdout.write(`${file}: ${total.toFixed(0)} ms sampled\n\n`);
  process.stdout.write(formatTable('By self time', summary.bySelf, total, top));
  process.stdout.write(formatTable('By area (self time)', summary.byArea, total, top));
  process.stdout.write(formatTable(`Our functions (URL contains "${values.ours}") by inclusive time`, summary.oursByInclusive, total, top));
}

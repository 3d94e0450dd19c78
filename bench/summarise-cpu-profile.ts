/**
 * Prints where a `.cpuprofile` (from `node --cpu-prof`) spent its time:
 * `node bench/summarise-cpu-profile.ts FILE [--top N] [--ours PATH-FRAGMENT] [--callers NAME [--depth N]] [--skip MS] [--until MS] [--from FUNCTION]`.
 * Three tables: functions by self time (file:line), time by package or area (our code, each
 * node_modules package, node internals, GC, idle), and our own functions by inclusive time, which is
 * what shows an expensive library call made from our hot path. `--skip MS` or `--from FUNCTION` (the first sample inside it) leaves start-up out; `--until MS` looks at start-up alone.
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
  /** For the `callersOf` function name: its self time by call stack (nearest `callerDepth` frames). */
  callers: TimeEntry[];
}

export interface SummaryOptions {
  /** A frame belongs to us when its URL contains this. */
  oursFragment: string;
  callersOf?: string | undefined;
  callerDepth?: number;
  /** Ignore samples taken in the first this many milliseconds (start-up). */
  skipMilliseconds?: number;
  /** Ignore samples taken after this many milliseconds (to look at start-up alone). */
  untilMilliseconds?: number;
  /**
   * Ignore samples before the first one whose stack holds a function of this name (e.g. `serveGenerations`):
   * the steady state, however long start-up took on a busy machine.
   */
  fromFunction?: string | undefined;
}

/** Aggregates samples by function, area, our functions' inclusive time and, optionally, one function's callers. */
export function summariseCpuProfile(profile: CpuProfile, options: SummaryOptions): ProfileSummary {
  const { oursFragment, callersOf, callerDepth = 6, untilMilliseconds = Infinity } = options;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const skipMilliseconds = Math.max(options.skipMilliseconds ?? 0, options.fromFunction === undefined ? 0 : firstSampleIn(profile, nodes, parents, options.fromFunction));
  const self = new Map<string, number>();
  const area = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const callers = new Map<string, number>();
  let totalMicroseconds = 0;
  let elapsedMicroseconds = 0;
  profile.samples.forEach((nodeId, index) => {
    // timeDeltas[i] is the gap before sample i; attributing it to sample i is V8 DevTools' convention.
    const micros = profile.timeDeltas[index] ?? 0;
    elapsedMicroseconds += micros;
    const node = nodes.get(nodeId);
    if (node === undefined || elapsedMicroseconds < skipMilliseconds * 1000 || elapsedMicroseconds > untilMilliseconds * 1000) return;
    totalMicroseconds += micros;
    add(self, describeFrame(node.callFrame), micros);
    add(area, classifyArea(node.callFrame.url, node.callFrame.functionName), micros);
    if (callersOf !== undefined && node.callFrame.functionName === callersOf) add(callers, describeStack(nodes, parents, nodeId, callerDepth), micros);
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
    callers: rank(callers),
  };
}

/** Milliseconds into the profile of the first sample with `functionName` on its stack (Infinity if none). */
function firstSampleIn(profile: CpuProfile, nodes: Map<number, ProfileNode>, parents: Map<number, number>, functionName: string): number {
  let elapsedMicroseconds = 0;
  for (const [index, nodeId] of profile.samples.entries()) {
    elapsedMicroseconds += profile.timeDeltas[index] ?? 0;
    for (let current: number | undefined = nodeId; current !== undefined; current = parents.get(current)) {
      if (nodes.get(current)?.callFrame.functionName === functionName) return elapsedMicroseconds / 1000;
    }
  }
  return Infinity;
}

function describeStack(nodes: Map<number, ProfileNode>, parents: Map<number, number>, nodeId: number, depth: number): string {
  const frames: string[] = [];
  for (let current = parents.get(nodeId); current !== undefined && frames.length < depth; current = parents.get(current)) {
    const frame = nodes.get(current)?.callFrame;
    if (frame !== undefined) frames.push(describeFrame(frame));
  }
  return frames.join(' < ');
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
    options: {
      top: { type: 'string', default: '25' },
      ours: { type: 'string', default: '/dist/' },
      callers: { type: 'string' },
      depth: { type: 'string', default: '6' },
      skip: { type: 'string', default: '0' },
      until: { type: 'string' },
      from: { type: 'string' },
    },
  });
  const file = positionals[0];
  if (file === undefined) {
    process.stderr.write('Usage: node bench/summarise-cpu-profile.ts FILE.cpuprofile [--top N] [--ours /dist/] [--callers NAME [--depth N]] [--skip MS] [--until MS] [--from FUNCTION]\n');
    process.exit(2);
  }
  const top = Number(values.top);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const summary = summariseCpuProfile(profile, { oursFragment: values.ours, callersOf: values.callers, callerDepth: Number(values.depth), skipMilliseconds: Number(values.skip), untilMilliseconds: values.until === undefined ? Infinity : Number(values.until), fromFunction: values.from });
  const total = summary.totalMilliseconds;
  process.stdout.write(`${file}: ${total.toFixed(0)} ms sampled\n\n`);
  process.stdout.write(formatTable('By self time', summary.bySelf, total, top));
  process.stdout.write(formatTable('By area (self time)', summary.byArea, total, top));
  process.stdout.write(formatTable(`Our functions (URL contains "${values.ours}") by inclusive time`, summary.oursByInclusive, total, top));
  if (values.callers !== undefined) process.stdout.write(formatTable(`Callers of ${values.callers} (nearest first)`, summary.callers, total, top));
}

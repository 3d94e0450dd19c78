/** Options of `npm run bench` (`bench/run-benchmarks.ts`). */
import { parseArgs } from 'node:util';
import { gatewayRuntimeFlags } from '../src/cli/runtime-flags.ts';
import { targetKinds, type TargetKind } from './benchmark-scenarios.ts';

export interface BenchmarkOptions {
  quick: boolean;
  rounds: number;
  durationSeconds: number | undefined;
  holdSeconds: number | undefined;
  /** Scenario ids to run; empty means all. */
  scenarioIds: string[];
  targets: TargetKind[];
  startupRuns: number;
  /** Where the Markdown goes; null prints it to stdout instead. */
  output: string | null;
  /** Raw measurements as JSON, when set. */
  raw: string | null;
  /** Extra node flags for the measured gateway, e.g. `--cpu-prof`. */
  gatewayNodeArguments: string[];
  /** Runs the gateway from `src/cli/main.ts` instead of the bundle, for CPU profiles by package. */
  gatewayFromSource: boolean;
  /** Pins the measured proxy to a core of its own when the machine has two or more (`--no-pin` turns it off). */
  pin: boolean;
  help: boolean;
}

export const benchmarkUsage = `Usage: npm run bench [-- options]

Starts the simulator, the compiled gateway and a bare Express + undici reference proxy, runs every
scenario directly and through each proxy in interleaved rounds, measures the memory scenarios again
on fresh processes, runs the multi-node scenario (three simulators and gateways of its own), and
writes BENCHMARKS.md.

  --quick                   smoke run: 2 s scenarios, 5 s hold, 2 rounds, 3 start-up runs
  --rounds N                interleaved rounds (default 3; quick 2)
  --duration S              seconds per throughput scenario (default 5; quick 2)
  --hold S                  seconds the 1,000 streams stay open (default 30; quick 5)
  --scenarios a,b           only these: plain-c1, plain-c16, plain-c64, stream-c16, stream-c256, hold-1000,
                            multi-node (the gateway over 1 and over 3 simulators of its own; --duration applies)
  --targets a,b             only these: ${targetKinds.join(', ')} (default all)
  --startup-runs N          start-up measurements (default 5; quick 3)
  --output FILE|none        Markdown report (default BENCHMARKS.md; none prints it)
  --raw FILE                also write every measurement as JSON
  --gateway-node-arg FLAG   node flag for the measured gateway, repeatable (e.g. --cpu-prof); the
                            gateway always gets ${gatewayRuntimeFlags.join(' ')}, as npm start and Docker run it
  --gateway-from-source     run the gateway from src/cli/main.ts instead of the bundle in dist/, so a
                            CPU profile names packages and source files (figures are not the bundle's)
  --no-pin                  do not pin: by default, with 2 or more CPUs, the measured proxy runs alone on
                            the last CPU (taskset) and the simulator and load generator on the others
  -h, --help                this text
`;

/** Parses argv; throws with a readable message on a bad value. */
export function parseBenchmarkArgs(argv: readonly string[]): BenchmarkOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      hold: { type: 'string' },
      scenarios: { type: 'string' },
      targets: { type: 'string' },
      'startup-runs': { type: 'string' },
      output: { type: 'string', default: 'BENCHMARKS.md' },
      raw: { type: 'string' },
      'gateway-node-arg': { type: 'string', multiple: true, default: [] },
      'gateway-from-source': { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const quick = values.quick;
  return {
    quick,
    rounds: readPositive('--rounds', values.rounds) ?? (quick ? 2 : 3),
    durationSeconds: readPositive('--duration', values.duration),
    holdSeconds: readPositive('--hold', values.hold),
    scenarioIds: splitList(values.scenarios),
    targets: readTargets(values.targets),
    startupRuns: readPositive('--startup-runs', values['startup-runs']) ?? (quick ? 3 : 5),
    output: values.output === 'none' ? null : values.output,
    raw: values.raw ?? null,
    // The gateway runs as users run it (`npm start`, the bin, the Docker image), plus any flag given here.
    gatewayNodeArguments: [...gatewayRuntimeFlags, ...values['gateway-node-arg']],
    gatewayFromSource: values['gateway-from-source'],
    pin: !values['no-pin'],
    help: values.help,
  };
}

function readPositive(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a positive integer, got "${text}"`);
  return value;
}

function readTargets(text: string | undefined): TargetKind[] {
  const names = splitList(text);
  if (names.length === 0) return [...targetKinds];
  const unknown = names.filter((name) => !targetKinds.includes(name as TargetKind));
  if (unknown.length > 0) throw new Error(`--targets: unknown ${unknown.join(', ')} (choose from ${targetKinds.join(', ')})`);
  return names as TargetKind[];
}

function splitList(text: string | undefined): string[] {
  return (text ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/**
 * The scenarios of `npm run bench`, each run against the simulator directly and through
 * the gateway. Full mode is what BENCHMARKS.md reports; quick mode is a smoke run of the same shape.
 */
import type { SimulatorOptions } from '../src/sim/simulator.ts';

/** Where a scenario's load goes, and in which protocol. */
export type TargetKind = 'direct' | 'bare-proxy' | 'gateway-openai' | 'gateway-native';

/**
 * The simulator's `/api/chat`; the same through a bare Express 5 + undici proxy (the reference
 * floor); the gateway's OpenAI route; the gateway's native passthrough.
 */
export const targetKinds: readonly TargetKind[] = ['direct', 'bare-proxy', 'gateway-openai', 'gateway-native'];

export interface Scenario {
  /** Short identifier, e.g. `stream-c256`; `--scenarios` selects by it. */
  id: string;
  title: string;
  stream: boolean;
  concurrency: number;
  /** Closed-loop run length; null when `requests` bounds the run instead. */
  durationSeconds: number | null;
  requests: number | null;
  warmup: number;
  /** Pacing of the simulator while the scenario runs. */
  simulator: Pick<SimulatorOptions, 'tokensPerSecond' | 'tokensPerAnswer'>;
}

export interface ScenarioSettings {
  quick: boolean;
  /** Overrides the run length of the throughput scenarios. */
  durationSeconds?: number;
  /** Overrides how long the open streams are held. */
  holdSeconds?: number;
}

/** A few ms per token: fast enough to keep every stream busy, slow enough to be a stream. */
const streamTokensPerSecond = 200;
const tokensPerAnswer = 12;
const heldStreams = 1_000;

/** The scenarios in run order. */
export function buildScenarios(settings: ScenarioSettings): Scenario[] {
  const durationSeconds = settings.durationSeconds ?? (settings.quick ? 2 : 5);
  const holdSeconds = settings.holdSeconds ?? (settings.quick ? 5 : 30);
  const unpaced = { tokensPerSecond: 0, tokensPerAnswer };
  const paced = { tokensPerSecond: streamTokensPerSecond, tokensPerAnswer };
  const throughput = (id: string, title: string, stream: boolean, concurrency: number): Scenario => ({
    id,
    title,
    stream,
    concurrency,
    durationSeconds,
    requests: null,
    warmup: Math.max(100, concurrency * 2),
    simulator: stream ? paced : unpaced,
  });
  return [
    throughput('plain-c1', 'non-streaming, concurrency 1', false, 1),
    throughput('plain-c16', 'non-streaming, concurrency 16', false, 16),
    throughput('plain-c64', 'non-streaming, concurrency 64', false, 64),
    throughput('stream-c16', `streaming, concurrency 16, ${1000 / streamTokensPerSecond} ms/token`, true, 16),
    throughput('stream-c256', `streaming, concurrency 256, ${1000 / streamTokensPerSecond} ms/token`, true, 256),
    {
      id: 'hold-1000',
      title: `${heldStreams} concurrent open streams held ${holdSeconds} s`,
      stream: true,
      concurrency: heldStreams,
      durationSeconds: null,
      requests: heldStreams,
      warmup: 0,
      // The first token comes at once, then one a second: each stream stays open `holdSeconds`.
      simulator: { tokensPerSecond: 1, tokensPerAnswer: holdSeconds + 1 },
    },
  ];
}

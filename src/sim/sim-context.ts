import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultQueue } from './fault-queue.ts';
import type { ModelCatalog } from './model-catalog.ts';
import type { ModelSlots } from './model-slots.ts';
import type { RequestGate } from './request-gate.ts';
import type { StatsRecorder } from './sim-stats.ts';
import type { SimulatorOptions } from './sim-types.ts';

/** The knobs with every default filled in; the object is updated in place by `setOptions`. */
export type LiveOptions = Required<Omit<SimulatorOptions, 'models' | 'host' | 'port' | 'dialect'>>;

/** The state of one simulator instance, shared by its route handlers. */
export interface SimContext {
  options: LiveOptions;
  catalog: ModelCatalog;
  stats: StatsRecorder;
  gate: RequestGate;
  slots: ModelSlots;
  faults: FaultQueue;
  timestamp: () => string;
}

/** One request and its response, with the signal that aborts when the connection closes early. */
export interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  path: string;
  signal: AbortSignal;
  startedNs: bigint;
  /** Closes the connection on purpose (refuse, cut): the client did not abort, so it is not counted as aborted. */
  destroySocket: () => void;
}

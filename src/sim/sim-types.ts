/** One model the simulator knows, as it would appear in `ollama list`. */
export interface SimModel {
  /** With tag, e.g. `llama3.2:latest`; a name without a tag gets `:latest`. */
  name: string;
  /** Any of completion, tools, insert, vision, embedding, thinking. Default `['completion']`. */
  capabilities?: string[];
  family?: string;
  parameterSize?: string;
  /** Vector length for embedding models (default 768). */
  embeddingLength?: number;
  sizeBytes?: number;
  /** How long the first use takes to load the model. Default 0. */
  loadMs?: number;
}

/** Knobs of a simulator; every one can change at run time with `setOptions`. */
export interface SimulatorOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  models?: SimModel[];
  /** Delay before the first line of an answer. Default 0. */
  timeToFirstTokenMs?: number;
  /** 0 (the default) writes all lines at once with no timer in between. */
  tokensPerSecond?: number;
  /** Content tokens per answer (before `num_predict`). Default 12. */
  tokensPerAnswer?: number;
  /** Like OLLAMA_NUM_PARALLEL: generations beyond N per model wait inside the simulator. 0 = unlimited. */
  parallelPerModel?: number;
  /** Pace of `/api/pull` progress. 0 (the default) sends all progress at once. */
  pullBytesPerSecond?: number;
}

/** A failure the next matching request(s) will suffer. */
export interface SimFault {
  kind: 'refuse' | 'status500' | 'status503busy' | 'status429' | 'stall' | 'cut' | 'malformed' | 'errorLine';
  /** e.g. `/api/chat`; all generation routes (chat, generate, embed, embeddings) when absent. */
  route?: string;
  /** How many requests suffer it. Default 1; `Infinity` allowed. */
  times?: number;
  /** For cut, malformed and errorLine: token lines written before the fault. Default 1. */
  afterTokens?: number;
}

/** Parks generation requests before they send any byte, so tests can observe queues. */
export interface SimGate {
  hold(): void;
  release(): void;
  readonly held: boolean;
  /** Requests parked at the gate now. */
  readonly waiting: number;
  /** Resolves once at least `count` requests are parked. */
  whenWaiting(count: number): Promise<void>;
}

/** What the simulator observed. */
export interface SimStats {
  /** Generation requests (chat, generate, embed, embeddings) in flight. */
  readonly openRequests: number;
  /** Per model: most requests in flight at once (waiting at the gate, queued or generating). */
  maxConcurrency: Record<string, number>;
  /** Per model: most generations holding a runner slot at once (bounded by `parallelPerModel`). */
  maxRunning: Record<string, number>;
  /** Per route path: requests received. */
  requests: Record<string, number>;
  /** Requests whose client went away before they finished. */
  readonly aborted: number;
  /** Last parsed request body per route path. */
  lastBody: Record<string, unknown>;
  /** The most recent requests (up to 256), oldest first: what reached Ollama, headers included. */
  readonly received: readonly ReceivedRequest[];
  /** Requests received since start (or `reset`); `received.at(-1)?.sequence` when any. */
  readonly receivedCount: number;
  /** Resolves when `openRequests` is 0. */
  whenIdle(): Promise<void>;
  reset(): void;
}

/** One request as the simulator received it. */
export interface ReceivedRequest {
  /** 1 for the first request received (after `reset`), then counting up. */
  sequence: number;
  method: string;
  path: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A running simulator. */
export interface Simulator {
  /** `http://HOST:PORT` */
  url: string;
  /** Closes the server and destroys every open socket. */
  close(): Promise<void>;
  setOptions(partial: Partial<SimulatorOptions>): void;
  gate: SimGate;
  injectFault(fault: SimFault): void;
  clearFaults(): void;
  stats: SimStats;
  addModel(model: SimModel): void;
  removeModel(name: string): void;
}

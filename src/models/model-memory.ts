import type { Logger } from 'pino';
import type { Config } from '../config/config-schema.ts';
import { modelKey } from '../config/model-key.ts';
import type { OllamaClient } from '../ollama/ollama-client.ts';
import type { OllamaTag } from '../ollama/wire.ts';
import type { RunningModel, RunningModels } from './model-memory-readings.ts';

export interface ModelMemoryDeps {
  getConfig: () => Config;
  /** The node's client: unloads go to this node only. */
  ollama: OllamaClient;
  /** The node's own loaded models (its `/api/ps`). */
  runningModels: RunningModels;
  /** Ollama's installed models, for the size of a model that is not loaded yet. */
  listModels: () => Promise<OllamaTag[]>;
  /** Models with requests holding a slot on this node now (loaded, or being loaded, there). */
  busyModels: () => string[];
  logger: Logger;
}

interface Resident {
  name: string;
  bytes: number;
}

/**
 * The gateway's LRU over one Ollama node's loaded models (`NodeModelMemories` keeps one per node). With `maxLoadedModels` or `maxLoadedBytes` set, before a
 * request starts on a model that is not loaded, the least recently used idle models are unloaded
 * (`keep_alive: 0`) until the new one fits, instead of letting Ollama evict on its own terms or thrash.
 * Busy models are never unloaded. Rule for contention: requests on loaded models go first; a request
 * that needs a model loaded while every loaded model is busy waits until one becomes idle, at most
 * `modelLoadWaitMs`, then proceeds anyway and Ollama decides (so no model starves).
 */
export class ModelMemory {
  readonly #deps: ModelMemoryDeps;
  readonly #lastUsed = new Map<string, number>();
  #useCounter = 0;
  /** Decisions run one at a time, so two new models never both count the same free place. */
  #turn: Promise<void> = Promise.resolve();
  /** Decisions waiting for a busy model to become idle. */
  #releaseWaiters: Array<() => void> = [];

  constructor(deps: ModelMemoryDeps) {
    this.#deps = deps;
  }

  /** Records a use of `model` (a request started or finished on it). */
  touch(model: string): void {
    this.#lastUsed.set(modelKey(model), ++this.#useCounter);
  }

  /** A request on `model` gave its slot back: it is the most recent use, and the model may now be idle. */
  noteReleased(model: string): void {
    this.touch(model);
    for (const wake of this.#releaseWaiters.splice(0)) wake();
  }

  /**
   * Unloads least recently used idle models until `model` fits the budget; a no-op without a budget.
   * A model that is loaded goes straight through; a model that needs room
   * waits while every loaded model is busy, at most `modelLoadWaitMs`, then proceeds anyway.
   */
  async makeRoomFor(model: string, signal?: AbortSignal): Promise<void> {
    const config = this.#deps.getConfig();
    this.touch(model);
    if (config.maxLoadedModels === undefined && config.maxLoadedBytes === undefined) return;
    const key = modelKey(model);
    const loaded = await this.#readLoaded(model);
    if (loaded === undefined || this.#isResident(key, loaded)) return;
    const decision = this.#turn.then(() => this.#makeRoom(model, config, signal));
    this.#turn = decision.catch(() => undefined);
    return decision;
  }

  // Busy models are no proof: the request asking holds a slot of its own model already.
  #isResident(key: string, loaded: RunningModel[]): boolean {
    return loaded.some((running) => modelKey(running.name) === key);
  }

  async #readLoaded(model: string): Promise<RunningModel[] | undefined> {
    try {
      return await this.#deps.runningModels.read();
    } catch (error) {
      this.#deps.logger.warn({ model, error: String(error) }, 'cannot read loaded models; Ollama decides what to unload');
      return undefined;
    }
  }

  async #makeRoom(model: string, config: Config, signal: AbortSignal | undefined): Promise<void> {
    const key = modelKey(model);
    // Read again inside the turn: the decision before this one may have unloaded or started a model.
    const loaded = await this.#readLoaded(model);
    if (loaded === undefined || this.#isResident(key, loaded)) return;
    const sizes = await this.#sizesOfInstalled();
    const resident: Resident[] = loaded.map((running) => ({ name: running.name, bytes: running.size ?? sizes.get(modelKey(running.name)) ?? 0 }));
    // Models with running requests that /api/ps does not list yet are being loaded: they take room too.
    for (const busy of this.#deps.busyModels()) {
      const busyKey = modelKey(busy);
      if (busyKey !== key && !resident.some((entry) => modelKey(entry.name) === busyKey)) resident.push({ name: busy, bytes: sizes.get(busyKey) ?? 0 });
    }
    const needed = sizes.get(key) ?? 0;
    const waitUntil = Date.now() + config.modelLoadWaitMs;
    while (exceedsBudget(resident, needed, config)) {
      const busy = new Set(this.#deps.busyModels().map(modelKey));
      const victim = this.#leastRecentlyUsedIdle(resident, busy, key);
      if (victim !== undefined) {
        await this.#unload(victim.name);
        resident.splice(resident.indexOf(victim), 1);
        continue;
      }
      // Work on loaded models goes first, but only for so long: this model must not starve.
      this.#deps.logger.info({ model, busy: [...busy] }, 'waiting for a loaded model to become idle');
      if (!(await this.#waitForRelease(waitUntil - Date.now(), signal))) {
        this.#deps.logger.warn({ model, loaded: resident.map((entry) => entry.name) }, 'model memory budget exceeded and every loaded model stayed busy; loading anyway');
        return;
      }
    }
  }

  /** Resolves true when some request gives its slot back within `timeoutMs`, false when the time is up. */
  #waitForRelease(timeoutMs: number, signal: AbortSignal | undefined): Promise<boolean> {
    if (timeoutMs <= 0) return Promise.resolve(false);
    signal?.throwIfAborted();
    return new Promise<boolean>((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.#releaseWaiters.indexOf(wake);
        if (index >= 0) this.#releaseWaiters.splice(index, 1);
      };
      const wake = (): void => {
        settle();
        resolve(true);
      };
      const timer = setTimeout(() => {
        settle();
        resolve(false);
      }, timeoutMs);
      const onAbort = (): void => {
        settle();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#releaseWaiters.push(wake);
    });
  }

  #leastRecentlyUsedIdle(resident: Resident[], busy: Set<string>, target: string): Resident | undefined {
    const idle = resident.filter((entry) => !busy.has(modelKey(entry.name)) && modelKey(entry.name) !== target);
    // A model the gateway never used (loaded by someone else) counts as least recently used.
    idle.sort((left, right) => (this.#lastUsed.get(modelKey(left.name)) ?? 0) - (this.#lastUsed.get(modelKey(right.name)) ?? 0));
    return idle[0];
  }

  async #unload(name: string): Promise<void> {
    this.#deps.logger.info({ model: name }, 'unloading least recently used model');
    try {
      // Ollama's documented way to unload: a generate with no prompt and keep_alive 0.
      await this.#deps.ollama.postJson('/api/generate', { model: name, keep_alive: 0 }, { signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      this.#deps.logger.warn({ model: name, error: String(error) }, 'unloading a model failed');
    } finally {
      this.#deps.runningModels.invalidate();
    }
  }

  async #sizesOfInstalled(): Promise<Map<string, number>> {
    const tags = await this.#deps.listModels().catch(() => []);
    return new Map(tags.map((tag) => [modelKey(tag.name), tag.size ?? 0]));
  }
}

function exceedsBudget(resident: Resident[], neededBytes: number, config: Config): boolean {
  if (config.maxLoadedModels !== undefined && resident.length + 1 > config.maxLoadedModels) return true;
  if (config.maxLoadedBytes === undefined) return false;
  const used = resident.reduce((sum, entry) => sum + entry.bytes, 0);
  return used + neededBytes > config.maxLoadedBytes;
}

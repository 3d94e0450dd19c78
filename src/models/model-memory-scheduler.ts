import { Scheduler, type AcquireOptions, type Lease, type SchedulerDeps } from '../scheduler/scheduler.ts';
import type { ModelMemory } from './model-memory.ts';

/**
 * The scheduler with the model memory in the loop: once a request has its slot, and before it is sent
 * to Ollama, room is made for its model (LRU unloading under the budget). Every generation route takes
 * slots through `acquire`, so all of them, native passthrough included, are covered.
 */
export class ModelMemoryScheduler extends Scheduler {
  readonly #memory: ModelMemory;

  constructor(deps: SchedulerDeps & { memory: ModelMemory }) {
    super(deps);
    this.#memory = deps.memory;
  }

  override async acquire(modelKey: string, options: AcquireOptions = {}): Promise<Lease> {
    const lease = await super.acquire(modelKey, options);
    try {
      await this.#memory.makeRoomFor(modelKey, options.signal);
      options.signal?.throwIfAborted();
    } catch (error) {
      lease.release();
      throw error;
    }
    return {
      queueWaitMs: lease.queueWaitMs,
      node: lease.node,
      release: () => {
        lease.release();
        this.#memory.noteReleased(modelKey);
      },
    };
  }
}

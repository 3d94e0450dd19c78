/**
 * The model-memory step of the pipeline: once a generation holds its slot and before it is sent
 * upstream, room is made for its model (LRU unloading under the budget); when the slot comes back,
 * the model is noted as used and perhaps idle. `ModelMemory` is the implementation.
 */
export interface ModelMemoryStage {
  makeRoomFor(model: string, signal?: AbortSignal): Promise<void>;
  noteReleased(model: string): void;
}

/**
 * The model-memory step of the pipeline: once a generation holds its slot on a node and before it is
 * sent there, room is made for its model on that node (LRU unloading under the node's budget); when
 * the slot comes back, the model is noted as used there and perhaps idle. `NodeModelMemories` is the
 * implementation.
 */
export interface ModelMemoryStage {
  makeRoomFor(model: string, node: string, signal?: AbortSignal): Promise<void>;
  noteReleased(model: string, node: string): void;
}

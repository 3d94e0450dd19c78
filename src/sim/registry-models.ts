import type { SimModel } from './sim-types.ts';

/**
 * Models the simulated registry knows by name, with realistic sizes, so a pull of one of them shows
 * believable progress and installs it with the right capabilities. Any other name (but "missing" or
 * "nonexistent" ones) can be pulled too, as a 2 GB completion model.
 */
export const REGISTRY_MODELS: readonly SimModel[] = [
  { name: 'qwen3:0.6b', capabilities: ['completion', 'tools', 'thinking'], family: 'qwen3', parameterSize: '751.63M', sizeBytes: 522_653_184 },
  { name: 'smollm2:135m', capabilities: ['completion', 'tools'], family: 'llama', parameterSize: '134.52M', sizeBytes: 270_898_672 },
  { name: 'tinyllama:latest', capabilities: ['completion'], family: 'llama', parameterSize: '1B', sizeBytes: 637_700_138 },
  { name: 'all-minilm:latest', capabilities: ['embedding'], family: 'bert', parameterSize: '23M', embeddingLength: 384, sizeBytes: 45_960_996 },
];

/** The registry's entry for a normalised name (`tinyllama` ≡ `tinyllama:latest`), if it has one. */
export function findRegistryModel(name: string): SimModel | undefined {
  return REGISTRY_MODELS.find((model) => model.name === name);
}

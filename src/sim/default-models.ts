import type { SimModel } from './sim-types.ts';

/** The models a simulator has when none are given: one of each capability mix the gateway cares about. */
export function createDefaultModels(): SimModel[] {
  return [
    { name: 'llama3.2:latest', capabilities: ['completion', 'tools'], family: 'llama', parameterSize: '3.2B', sizeBytes: 2_019_393_189 },
    { name: 'qwen3:latest', capabilities: ['completion', 'tools', 'thinking'], family: 'qwen3', parameterSize: '8.2B', sizeBytes: 5_225_387_923 },
    { name: 'llava:latest', capabilities: ['completion', 'vision'], family: 'llama', parameterSize: '7B', sizeBytes: 4_733_363_377 },
    { name: 'nomic-embed-text:latest', capabilities: ['embedding'], family: 'nomic-bert', parameterSize: '137M', embeddingLength: 768, sizeBytes: 274_302_450 },
    { name: 'gemma3:latest', capabilities: ['completion', 'vision'], family: 'gemma3', parameterSize: '4.3B', sizeBytes: 3_338_801_804 },
  ];
}

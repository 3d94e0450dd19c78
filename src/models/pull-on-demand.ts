import type { Config } from '../config/config-schema.ts';
import { gatewayError } from '../errors/gateway-error.ts';
import { canonicalModelName } from '../config/model-key.ts';
import { isPullAllowed } from './pull-allow-list.ts';
import type { PullCoordinator, PullOptions } from './pull-coordinator.ts';

/** Pulls a model Ollama lacks when pull on demand applies to it; false when it does not apply. */
export type PullMissingModel = (name: string, options: PullOptions) => Promise<boolean>;

/**
 * Pull on demand: for a model Ollama does not have, `models.<name>.pullOnDemand` (or, when the model sets
 * nothing, the global `pullOnDemand`) decides whether to pull it; the name must also pass the pull
 * allow-list, so a typo cannot start a large download. The request waits for the shared pull.
 */
export function createPullOnDemand(deps: { getConfig: () => Config; pulls: PullCoordinator }): PullMissingModel {
  return async (name, options) => {
    const config = deps.getConfig();
    const canonical = canonicalModelName(name);
    const applies = config.models[canonical]?.pullOnDemand ?? config.pullOnDemand;
    if (!applies) return false;
    if (!isPullAllowed(canonical, config)) throw gatewayError('model_not_pullable', { model: name }, { param: 'model' });
    await deps.pulls.pull(canonical, options);
    return true;
  };
}

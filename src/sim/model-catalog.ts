import { hexFromText } from './deterministic-random.ts';
import { normalizeModelName } from './model-names.ts';
import type { SimModel } from './sim-types.ts';

/** An installed model with every default filled in. */
export interface CatalogModel {
  name: string;
  capabilities: string[];
  family: string;
  parameterSize: string;
  embeddingLength: number;
  sizeBytes: number;
  loadMs: number;
  contextLength: number;
  digest: string;
  modifiedAt: string;
}

/** A model resident in memory, as `/api/ps` lists it. */
export interface LoadedModel {
  model: CatalogModel;
  /** Epoch ms; `Infinity` = kept forever. */
  expiresAt: number;
}

/** Installed models (`/api/tags`) and loaded ones (`/api/ps`), keyed by the normalised name. */
export interface ModelCatalog {
  find(name: string): CatalogModel | undefined;
  list(): CatalogModel[];
  add(model: SimModel, modifiedAt?: string): CatalogModel;
  remove(name: string): boolean;
  /**
   * Loads the model unless it is resident; concurrent first uses share one load. Resolves with the
   * nanoseconds this caller spent loading: exactly the `loadMs` knob for the caller that started the
   * load (a timer may fire a little early against another clock, so it is not measured), the time
   * waited (at most `loadMs`) for callers that joined it, 0 when the model was resident.
   */
  ensureLoaded(model: CatalogModel): Promise<number>;
  /** Restarts the residency timer after use; 0 unloads. */
  keepLoaded(model: CatalogModel, keepAliveMs: number): void;
  listLoaded(): LoadedModel[];
}

const fixedModifiedAt = '2026-01-15T10:00:00.000000000Z';

/** Fills a `SimModel`'s defaults. */
export function describeModel(model: SimModel, modifiedAt = fixedModifiedAt): CatalogModel {
  const name = normalizeModelName(model.name);
  const capabilities = model.capabilities ?? ['completion'];
  return {
    name,
    capabilities,
    family: model.family ?? name.split(/[:.\d/-]/)[0] ?? 'llama',
    parameterSize: model.parameterSize ?? '3.2B',
    embeddingLength: model.embeddingLength ?? (capabilities.includes('embedding') ? 768 : 3072),
    sizeBytes: model.sizeBytes ?? 2_000_000_000,
    loadMs: model.loadMs ?? 0,
    contextLength: capabilities.includes('embedding') ? 2048 : 131_072,
    digest: hexFromText(name, 64),
    modifiedAt,
  };
}

/** Creates a catalog holding `models`; `now` is the clock for residency. */
export function createModelCatalog(models: SimModel[], now: () => number = Date.now): ModelCatalog {
  const installed = new Map<string, CatalogModel>();
  const loaded = new Map<string, LoadedModel>();
  const loading = new Map<string, Promise<void>>();
  const nsPerMs = 1_000_000;

  for (const model of models) installed.set(normalizeModelName(model.name), describeModel(model));

  function isResident(name: string): boolean {
    const entry = loaded.get(name);
    if (entry === undefined) return false;
    if (entry.expiresAt > now()) return true;
    loaded.delete(name);
    return false;
  }

  function load(model: CatalogModel): Promise<void> {
    const finish = (): void => {
      loading.delete(model.name);
      // Resident until the request that loaded it sets the real expiry with keepLoaded.
      loaded.set(model.name, { model, expiresAt: Infinity });
    };
    if (model.loadMs <= 0) return Promise.resolve(finish());
    const promise = new Promise<void>((resolve) => setTimeout(() => resolve(finish()), model.loadMs));
    loading.set(model.name, promise);
    return promise;
  }

  return {
    find: (name) => installed.get(normalizeModelName(name)),
    list: () => [...installed.values()],
    add(model, modifiedAt) {
      const described = describeModel(model, modifiedAt);
      installed.set(described.name, described);
      return described;
    },
    remove(name) {
      const normalized = normalizeModelName(name);
      loaded.delete(normalized);
      return installed.delete(normalized);
    },
    async ensureLoaded(model) {
      if (isResident(model.name)) return 0;
      // Requests that arrive while a load is under way wait for that same load, as Ollama's scheduler does.
      const underWay = loading.get(model.name);
      if (underWay === undefined) {
        await load(model);
        return model.loadMs * nsPerMs;
      }
      const joinedAt = process.hrtime.bigint();
      await underWay;
      return Math.min(Number(process.hrtime.bigint() - joinedAt), model.loadMs * nsPerMs);
    },
    keepLoaded(model, keepAliveMs) {
      if (keepAliveMs <= 0) loaded.delete(model.name);
      else if (installed.has(model.name)) loaded.set(model.name, { model, expiresAt: now() + keepAliveMs });
    },
    listLoaded() {
      return [...loaded.keys()]
        .filter(isResident)
        .map((name) => loaded.get(name))
        .filter((entry) => entry !== undefined)
        .sort((left, right) => right.expiresAt - left.expiresAt);
    },
  };
}

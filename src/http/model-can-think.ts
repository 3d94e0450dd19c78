import type { GatewayServices } from './gateway-services.ts';

/**
 * Whether Ollama lists the `thinking` capability for the model; `undefined` when its list does not say
 * (older servers), so the request is sent as asked.
 */
export async function modelCanThink(services: GatewayServices, canonicalName: string): Promise<boolean | undefined> {
  const tags = await services.catalog.list();
  const capabilities = tags.find((tag) => tag.name === canonicalName || tag.model === canonicalName)?.capabilities;
  return capabilities === undefined ? undefined : capabilities.includes('thinking');
}

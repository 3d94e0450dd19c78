/**
 * A missing or unknown model on Ollama's native generation routes, told with Ollama's own status and
 * text (server/routes.go), since native clients and scripts match on them. The gateway finds both
 * before Ollama sees the request (model choice, catalog, key scope), so without this they would carry
 * the OpenAI wording the other routes use.
 */
import { GatewayError, gatewayError, invalidRequest } from './gateway-error.ts';

type NativeGenerationPath = '/api/chat' | '/api/generate' | '/api/embed' | '/api/embeddings';

/**
 * Ollama's handlers differ: chat and the legacy embeddings answer an empty name with a 400 `model is
 * required`, generate and embed with a 404 `model '' not found`; the embedding routes name an unknown
 * model in double quotes and suggest a pull.
 */
export function toOllamaModelError(path: string, requested: string, error: unknown): unknown {
  if (!(error instanceof GatewayError) || !isNativeGenerationPath(path)) return error;
  if (error.code === 'missing_required_parameter' && error.param === 'model') {
    return path === '/api/chat' || path === '/api/embeddings' ? invalidRequest('model is required', 'model', error.code) : notFound(path, '', error);
  }
  if (error.code === 'model_not_found') return notFound(path, requested, error);
  return error;
}

function notFound(path: NativeGenerationPath, requested: string, cause: GatewayError): GatewayError {
  const message =
    (path === '/api/embed' || path === '/api/embeddings') && requested !== ''
      ? `model ${JSON.stringify(requested)} not found, try pulling it first`
      : `model '${requested}' not found`;
  return gatewayError('model_not_found', message, { param: 'model', cause });
}

function isNativeGenerationPath(path: string): path is NativeGenerationPath {
  return path === '/api/chat' || path === '/api/generate' || path === '/api/embed' || path === '/api/embeddings';
}

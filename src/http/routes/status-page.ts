import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import helmet from 'helmet';
import { bundleStatusPage, STATUS_PAGE_DIRECTORY, STATUS_PAGE_SCRIPT } from '../../web/bundle-status-page.ts';

/** Everything the page loads comes from this gateway; the script only talks to `/v1/status/stream`. */
const STATUS_PAGE_HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      connectSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
};

/** Where the page's stylesheet and script are served; the contract tests leave this prefix out. */
export const STATUS_PAGE_ASSETS_PATH = '/status/assets';

/** Three bars of a level meter; without an icon of its own the browser would ask for `/favicon.ico`. */
const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="1" y="9" width="4" height="6" fill="#157f3b"/><rect x="6" y="5" width="4" height="10" fill="#2563eb"/><rect x="11" y="1" width="4" height="14" fill="#b42318"/></svg>';

/**
 * `GET /status`: the live status page, its stylesheet and script. The page is open like `/docs` (it
 * holds no data); the stream it reads needs a key when keys are on. Mount before the key check.
 */
export function statusPageRouter(): Router {
  const read = (file: string): string => readFileSync(join(STATUS_PAGE_DIRECTORY, file), 'utf8');
  const html = read('status-page.html');
  const css = read('status-page.css');
  // Built by `npm run build`; a gateway run from its TypeScript sources bundles the page on first use.
  const builtScript = join(STATUS_PAGE_DIRECTORY, STATUS_PAGE_SCRIPT);
  let script: Promise<string> | undefined;
  const loadScript = (): Promise<string> => (script ??= existsSync(builtScript) ? Promise.resolve(readFileSync(builtScript, 'utf8')) : bundleStatusPage());
  const pageHelmet = helmet(STATUS_PAGE_HELMET_OPTIONS);
  const router = express.Router();
  router.get('/status', pageHelmet, (_req, res) => {
    res.type('html').send(html);
  });
  router.get(`${STATUS_PAGE_ASSETS_PATH}/status-page.css`, pageHelmet, (_req, res) => {
    res.type('text/css').send(css);
  });
  router.get(`${STATUS_PAGE_ASSETS_PATH}/favicon.svg`, pageHelmet, (_req, res) => {
    res.type('image/svg+xml').send(FAVICON);
  });
  router.get(`${STATUS_PAGE_ASSETS_PATH}/${STATUS_PAGE_SCRIPT}`, pageHelmet, async (_req, res) => {
    res.type('text/javascript').send(await loadScript());
  });
  return router;
}

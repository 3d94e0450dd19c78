import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The Debian package's browser; `.ci/run` installs it. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
// Outside CI a missing browser skips with a reason; under CI=true the test runs and fails.
export const skipWithoutChromium: string | false = !hasChromium && process.env['CI'] !== 'true' ? `${CHROMIUM} is missing (apt-get install chromium); under CI=true this fails` : false;

/** Headless Chromium with the flags a container needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // --disable-dev-shm-usage: containers often give /dev/shm 64 MB, too little for a renderer.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/**
 * Headless Chromium for the samples' browser tests: Debian's build at /usr/bin/chromium driven
 * by playwright-core (never a downloaded browser), launched with the flags it needs as root and
 * without a network.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = '/usr/bin/chromium';

const inCI = process.env.TRONADA_CI !== undefined && process.env.TRONADA_CI !== '';

/** True when the browser is installed. */
export const hasChromium = existsSync(CHROMIUM);

/**
 * Whether browser tests should run: when Chromium is installed, and always in CI
 * (`TRONADA_CI`), where a missing browser must fail rather than skip.
 */
export const browserTestsRun = hasChromium || inCI;

/** A suite title that says why it is skipped when Chromium is missing. */
export function browserSuiteTitle(title: string): string {
  return hasChromium ? title : `${title} (skipped: chromium not installed)`;
}

/** Launches headless Chromium (as root it needs `--no-sandbox`; the rest keeps it offline). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

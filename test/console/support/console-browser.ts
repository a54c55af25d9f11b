import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { REPO } from './console-build';

export const SCREENSHOTS = join(REPO, 'test-output/screenshots');

/** Debian's Chromium, headless; no browser download (CHROMIUM_PATH for another build). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A browser of its own per clinician (its own sessionStorage), on Beijing time and in Chinese. */
export function clinicianContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
}

/** Signs in on the login page with one click on the login name; resolves once the console frame shows. */
export async function signIn(page: Page, url: string, login: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.locator(`button[data-login="${login}"]`).click();
  await page.getByTestId('user-name').waitFor();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
}

/** A clinician's own browser, signed in; its context is kept in `contexts` for the suite to close. */
export async function signedInPage(
  browser: Browser,
  url: string,
  login: string,
  contexts: BrowserContext[],
): Promise<Page> {
  const context = await clinicianContext(browser);
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, url, login);
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Drawers and modals slide in: finish their transitions so the picture shows where they end up.
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

import { Browser, BrowserContext, chromium } from 'playwright-core';
import type { Session } from './backend';

/** Debian's Chromium, headless, as test/console drives it (CHROMIUM_PATH for another build). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A fresh browser context (empty cache) signed in: the session is in sessionStorage before any
 * script of the page runs, as the console leaves it after the demo sign-in.
 */
export async function signedInContext(browser: Browser, session: Session): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
  });
  await context.addInitScript(
    `sessionStorage.setItem('countylink.session', ${JSON.stringify(JSON.stringify(session))});`,
  );
  return context;
}

/** What the probe leaves in `window.__bench` (ms since navigation start, the page's performance.now()). */
export interface Usable {
  /** `want` elements matching the selector are in the DOM, and no table spinner spins. */
  rowsAt: number;
  /** The first task after the frame that painted them: the page could take a click. */
  usableAt: number;
  /** DOMContentLoaded ended (the module script fetched and run) and the last GET /api/reads answered. */
  dcl: number;
  readsAt: number;
}

/** Read from the page once `usableAt` is set. */
export const USABLE = `(() => {
  const reads = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/reads'));
  return { ...window.__bench, dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
    readsAt: Math.max(...reads.map((e) => e.responseEnd)) };
})()`;

/** Installed before the page's own scripts: a MutationObserver that notes when the worklist is usable. */
export function usableProbe(selector: string, want: number): string {
  return `(() => {
    const b = (window.__bench = { rowsAt: 0, usableAt: 0 });
    const check = () => {
      if (b.rowsAt || document.querySelectorAll(${JSON.stringify(selector)}).length < ${want}) return;
      if (document.querySelector('.ant-table-wrapper .ant-spin-spinning')) return;
      b.rowsAt = performance.now();
      requestAnimationFrame(() => setTimeout(() => { b.usableAt = performance.now(); }, 0));
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  })();`;
}

/** Wall-clock ms of the browser: performance.timeOrigin + performance.now(). */
export const BROWSER_NOW = 'performance.timeOrigin + performance.now()';

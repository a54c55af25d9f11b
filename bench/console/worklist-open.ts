import { Browser, Page } from 'playwright-core';
import { BARE_PAGE, Session } from './backend';
import { signedInContext, USABLE, Usable, usableProbe } from './browser';

/**
 * The console's first page of the worklist, each row with its 认领 button: 20 rows, a screenful at
 * 1440×900 (WORKLIST_PAGE_SIZE in apps/clinician-console/src/worklist/worklist-defaults.ts); the
 * server pages the rest (`total`), so every read is reachable.
 */
const CONSOLE_ROWS = 'tr[data-read-id] [data-testid="claim"]';
const CONSOLE_PAGE_SIZE = 20;

export interface OpenRun {
  cold: Usable;
  /** The same context opening the page again: assets from the HTTP cache. */
  warm: Usable;
}

export interface ConsoleShape {
  rowsOnPage: number;
  pages: number;
  /** The pager's 共 N 条: what the server says the whole list holds. */
  total: number;
  /** Bytes the browser took over the wire for JS on the cold open, and the scripts it fetched. */
  jsTransferred: number;
  scripts: string[];
}

async function usable(page: Page, url: string): Promise<Usable> {
  await page.goto(url);
  await page.waitForFunction('window.__bench && window.__bench.usableAt > 0', undefined, {
    polling: 100,
    timeout: 60_000,
  });
  return (await page.evaluate(USABLE)) as Usable;
}

async function openTwice(
  browser: Browser,
  session: Session,
  url: string,
  selector: string,
  want: number,
  shape?: (page: Page) => Promise<void>,
): Promise<OpenRun> {
  const context = await signedInContext(browser, session);
  await context.addInitScript(usableProbe(selector, want));
  try {
    const page = await context.newPage();
    const cold = await usable(page, url);
    if (shape) await shape(page);
    return { cold, warm: await usable(page, url) };
  } finally {
    await context.close();
  }
}

/** The console's /worklist and the bare page, alternating which goes first, `runs` times each. */
export async function measureWorklistOpen(
  browser: Browser,
  base: string,
  session: Session,
  reads: number,
  runs: number,
): Promise<{ console: OpenRun[]; bare: OpenRun[]; shape: ConsoleShape }> {
  const result = {
    console: [] as OpenRun[],
    bare: [] as OpenRun[],
    shape: { rowsOnPage: 0, pages: 0, total: 0, jsTransferred: 0, scripts: [] as string[] },
  };
  const inspect = async (page: Page) => {
    if (result.shape.scripts.length) return;
    result.shape = (await page.evaluate(`(() => {
      const js = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.js'));
      const pager = [...document.querySelectorAll('.ant-pagination-item')].map((e) => Number(e.title));
      const total = Number((document.querySelector('.ant-pagination-total-text')?.textContent ?? '').replace(/[^0-9]/g, '') || 0);
      return { rowsOnPage: document.querySelectorAll('tr[data-read-id]').length, pages: Math.max(1, ...pager), total,
        jsTransferred: js.reduce((n, e) => n + e.transferSize, 0), scripts: js.map((e) => new URL(e.name).pathname) };
    })()`)) as ConsoleShape;
  };
  const consoleRun = () =>
    openTwice(browser, session, `${base}/worklist`, CONSOLE_ROWS, Math.min(CONSOLE_PAGE_SIZE, reads), inspect);
  const bareRun = () => openTwice(browser, session, `${base}${BARE_PAGE}?n=${reads}`, 'tr[data-read-id] button', reads);
  await bareRun(); // warm-up: the server's first queries and the browser's first process are not what is measured
  await consoleRun();
  result.shape.scripts = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2) result.bare.push(await bareRun());
    result.console.push(await consoleRun());
    if (i % 2 === 0) result.bare.push(await bareRun());
  }
  return result;
}

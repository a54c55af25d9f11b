import { Browser, Page } from 'playwright-core';
import { io } from 'socket.io-client';
import type { Session } from './backend';
import { BROWSER_NOW, signedInContext } from './browser';
import { ecgFor, multipart, orderEcg } from './reads';

export interface LiveRow {
  /** STOW-RS answered in township A's page → the row in the ECG room's page (both browser clocks). */
  rowMs: number[];
  /** The same upload's read.ready frame at a socket.io-client in Node, connected as county-ecg (it can beat the answer). */
  pushMs: number[];
  /** The same two, from the moment the page sent the STOW-RS request. */
  rowFromSendMs: number[];
  pushFromSendMs: number[];
}

const CONNECTED = '[data-testid="connection"][data-state="connected"]';

async function openConsole(browser: Browser, session: Session, url: string): Promise<Page> {
  const page = await (await signedInContext(browser, session)).newPage();
  await page.goto(url);
  await page.locator(CONNECTED).waitFor({ timeout: 30_000 });
  return page;
}

async function readOut(base: string, token: string, id: string): Promise<void> {
  const post = (path: string, body: object) =>
    fetch(`${base}/api/reads/${id}/${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    });
  for (const [path, body] of [
    ['claim', {}],
    ['report', { findings: '窦性心律', impression: '正常心电图', treatmentPlan: '无需处理' }],
  ] as const) {
    const res = await post(path, body);
    if (!res.ok) throw new Error(`${path} of a benchmark read: HTTP ${res.status}`);
  }
}

/**
 * Township A's doctor (the console at 远程诊断) uploads an ECG by STOW-RS from the page, with fetch,
 * for an emergency order made just before (so its row sorts onto the first page); the ECG room's
 * console watches its worklist with a MutationObserver. Sequential, a pause between uploads. Each
 * read is then claimed and reported over the API, as the room would, so emergencies do not pile up
 * past the first page (the newest has the latest deadline and sorts last among them).
 */
export async function measureLiveRow(
  browser: Browser,
  base: string,
  doctor: Session,
  reader: Session,
  uploads: number,
  warmUp = 3,
): Promise<LiveRow> {
  const [doctorPage, readerPage] = await Promise.all([
    openConsole(browser, doctor, `${base}/reads`),
    openConsole(browser, reader, `${base}/worklist`),
  ]);
  await readerPage.locator('tr[data-read-id]').first().waitFor();
  const frames = new Map<string, number>();
  const socket = io(`${base}/clinician`, {
    auth: { token: reader.token },
    transports: ['websocket'],
    reconnection: false,
  });
  socket.on('read.ready', (frame: { subject?: { id?: string } }) => {
    if (frame.subject?.id) frames.set(frame.subject.id, performance.timeOrigin + performance.now());
  });
  await new Promise((ok, fail) => {
    socket.once('ready', ok);
    socket.once('connect_error', fail);
  });
  const result: LiveRow = { rowMs: [], pushMs: [], rowFromSendMs: [], pushFromSendMs: [] };
  try {
    for (let i = 0; i < warmUp + uploads; i++) {
      const read = await orderEcg(base, doctor.token, `LIVE-${Date.now().toString(36)}-${i}`, 'emergency', i);
      const { body, contentType } = multipart([ecgFor(read)]);
      const selector = JSON.stringify(`tr[data-read-id="${read.id}"]`);
      await readerPage.evaluate(`(window.__row = new Promise((ok) => {
        const check = () => { if (document.querySelector(${selector})) { observer.disconnect(); ok(${BROWSER_NOW}); } };
        const observer = new MutationObserver(check);
        observer.observe(document, { subtree: true, childList: true, attributes: true });
        check();
        setTimeout(() => { observer.disconnect(); ok(NaN); }, 15000);
      }), 0)`);
      const stored = (await doctorPage.evaluate(`(async () => {
        const bytes = Uint8Array.from(atob(${JSON.stringify(body.toString('base64'))}), (c) => c.charCodeAt(0));
        const { token } = JSON.parse(sessionStorage.getItem('countylink.session'));
        const sent = ${BROWSER_NOW};
        const res = await fetch('/dicomweb/studies', { method: 'POST', body: bytes,
          headers: { Authorization: 'Bearer ' + token, 'Content-Type': ${JSON.stringify(contentType)}, Accept: 'application/dicom+json' } });
        await res.text();
        return { status: res.status, sent, at: ${BROWSER_NOW} };
      })()`)) as { status: number; sent: number; at: number };
      if (stored.status !== 200) throw new Error(`STOW-RS from the page: HTTP ${stored.status}`);
      const rowAt = (await readerPage.evaluate('window.__row')) as number;
      for (const deadline = Date.now() + 10_000; !frames.has(read.id) && Date.now() < deadline;)
        await new Promise((r) => setTimeout(r, 5));
      if (i >= warmUp) {
        const pushAt = frames.get(read.id) ?? NaN;
        result.rowMs.push(rowAt - stored.at);
        result.pushMs.push(pushAt - stored.at);
        result.rowFromSendMs.push(rowAt - stored.sent);
        result.pushFromSendMs.push(pushAt - stored.sent);
      }
      await readOut(base, reader.token, read.id);
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 300));
    }
  } finally {
    socket.close();
    await Promise.all([doctorPage.context().close(), readerPage.context().close()]);
  }
  return result;
}

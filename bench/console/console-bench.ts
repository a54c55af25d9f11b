/**
 * Console benchmark (not a test; nothing asserted): what the clinician console ships and how soon
 * the ECG room's worklist is usable and live, each figure beside a baseline measured in this run.
 *  1. initial JS+CSS gzip (index.html's script, modulepreloads, stylesheets) vs the 400 KB target;
 *  2. page open → usable worklist of 500 ready ECG reads, vs a bare page fetching the same
 *     GET /api/reads and rendering 500 plain rows (target < 1.5 s);
 *  3. STOW-RS answered in township A's browser → row in the ECG room's browser, vs the same
 *     upload's read.ready frame at a socket.io-client in Node (target p95 < 1 s).
 * The backend is the built standalone in its own process on a throwaway PostgreSQL.
 *
 *   npm run bench:console   (BENCH_READS=500 BENCH_RUNS=5 BENCH_UPLOADS=30)
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { REPO, startBackend } from './backend';
import { launchChromium } from './browser';
import { kb, measureBundle, sum } from './bundle-size';
import { measureLiveRow } from './live-row';
import { seedReadyReads, worklistCount } from './reads';
import { measureWorklistOpen, OpenRun } from './worklist-open';

const READS = Number(process.env.BENCH_READS ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 30);
const TARGET_GZIP = 400 * 1024;
const TARGET_OPEN_MS = 1500;
const TARGET_LIVE_P95_MS = 1000;

const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
const at = (v: number[], q: number) => sorted(v)[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))];
const ms = (v: number) => `${Math.round(v)} ms`.padStart(8);
const ratio = (a: number, b: number) => `×${(a / b).toFixed(2)}`;
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
const log = (line = '') => process.stdout.write(`${line}\n`);

function openLine(name: string, runs: OpenRun[], pick: (r: OpenRun) => number): string {
  const v = runs.map(pick);
  return `${name.padEnd(26)} min ${ms(at(v, 0))}  median ${ms(at(v, 0.5))}  max ${ms(at(v, 1))}`;
}

async function main(): Promise<void> {
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  const bundle = measureBundle(join(REPO, 'dist/clinician-console'));
  const initial = sum(bundle.initial, 'gzip');
  const largest = [...bundle.lazy].sort((a, b) => b.gzip - a.gzip)[0];
  log(`1. console shipped (gzip -6 of dist/clinician-console; the backbone itself serves them uncompressed)`);
  log(
    `   initial  ${kb(initial)} gzip (${kb(sum(bundle.initial, 'raw'))} raw) in ${bundle.initial.map((a) => a.path).join(', ')}`,
  );
  log(`   target   400 KB → ${ratio(initial, TARGET_GZIP)} of it, ${met(initial < TARGET_GZIP)}`);
  log(
    `   largest lazy chunk ${largest.path} ${kb(largest.gzip)} gzip (${ratio(largest.gzip, initial)} of initial); all ${bundle.lazy.length} lazy ${kb(sum(bundle.lazy, 'gzip'))} gzip`,
  );

  const backend = await startBackend();
  const browser = await launchChromium();
  try {
    const townships = await Promise.all(
      ['township-a-doctor', 'township-b-doctor', 'township-c-doctor'].map((l) => backend.signIn(l)),
    );
    const reader = await backend.signIn('county-ecg');
    const t0 = Date.now();
    await seedReadyReads(
      backend.url,
      townships.map((s) => s.token),
      READS,
    );
    const listed = await worklistCount(backend.url, reader.token);
    log(
      `\n   (${READS} ECG reads ordered by townships A–C and uploaded by STOW-RS in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${listed} ready on the ECG room's worklist)`,
    );

    const open = await measureWorklistOpen(browser, backend.url, reader, listed, RUNS);
    const median = (runs: OpenRun[], pick: (r: OpenRun) => number) => at(runs.map(pick), 0.5);
    const consoleCold = median(open.console, (r) => r.cold.usableAt);
    log(
      `\n2. page open → usable worklist as county-ecg, ${listed} ready reads, ${RUNS} runs (navigation start → rows in the DOM, then the next task after their frame)`,
    );
    log(`   ${openLine('console, new context', open.console, (r) => r.cold.usableAt)}`);
    log(
      `     its medians: DOMContentLoaded ${ms(median(open.console, (r) => r.cold.dcl))}, GET /api/reads answered ${ms(median(open.console, (r) => r.cold.readsAt))}, rows in the DOM ${ms(median(open.console, (r) => r.cold.rowsAt))}`,
    );
    log(`   ${openLine('console, reopened (cache)', open.console, (r) => r.warm.usableAt)}`);
    log(`   ${openLine('bare page, new context', open.bare, (r) => r.cold.usableAt)}`);
    log(
      `     its medians: GET /api/reads answered ${ms(median(open.bare, (r) => r.cold.readsAt))}, rows in the DOM ${ms(median(open.bare, (r) => r.cold.rowsAt))}`,
    );
    log(`   ${openLine('bare page, reopened', open.bare, (r) => r.warm.usableAt)}`);
    log(
      `   ratio    console ÷ bare (median): new context ${ratio(
        consoleCold,
        median(open.bare, (r) => r.cold.usableAt),
      )}, reopened ${ratio(
        median(open.console, (r) => r.warm.usableAt),
        median(open.bare, (r) => r.warm.usableAt),
      )}`,
    );
    log(
      `   target   < 1.5 s (console, new context, median): ${ratio(consoleCold, TARGET_OPEN_MS)} of it, ${met(consoleCold < TARGET_OPEN_MS)}`,
    );
    log(
      `   console shows ${open.shape.rowsOnPage} rows on page 1 of ${open.shape.pages}, paged by the server (共 ${open.shape.total} 条: ${open.shape.total === listed ? 'every read reachable' : `${listed - open.shape.total} reads NOT reachable`}); the bare page ${listed} rows`,
    );
    log(
      `   JS the console fetched to get there: ${open.shape.scripts.length} files, ${kb(open.shape.jsTransferred)} over the wire`,
    );

    const live = await measureLiveRow(browser, backend.url, townships[0], reader, UPLOADS);
    const rowP95 = at(live.rowMs, 0.95);
    const p = (v: number[]) => `p50 ${ms(at(v, 0.5))}  p95 ${ms(at(v, 0.95))}  max ${ms(at(v, 1))}`;
    log(
      `\n3. upload → row on the ECG room's worklist in another browser, ${UPLOADS} emergency ECGs from township A's page, one by one`,
    );
    log(`   from the STOW-RS answer:  console row ${p(live.rowMs)}`);
    log(
      `                             read.ready  ${p(live.pushMs)}   (socket.io-client in Node as county-ecg, same uploads; < 0: before the answer)`,
    );
    log(`   from the request sent:    console row ${p(live.rowFromSendMs)}`);
    log(`                             read.ready  ${p(live.pushFromSendMs)}`);
    log(
      `   ratio    row ÷ push, from the request sent: p50 ${ratio(at(live.rowFromSendMs, 0.5), at(live.pushFromSendMs, 0.5))}, p95 ${ratio(at(live.rowFromSendMs, 0.95), at(live.pushFromSendMs, 0.95))} (the row also waits for the refetch of GET /api/reads and the render)`,
    );
    log(
      `   target   p95 < 1 s from the answer: ${ratio(rowP95, TARGET_LIVE_P95_MS)} of it, ${met(rowP95 < TARGET_LIVE_P95_MS)}`,
    );
    log(`\n(load average at start: ${load}; 2 cores shared by PostgreSQL, CountyLink, Chromium and this process)`);
  } finally {
    await browser.close();
    await backend.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `console benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);

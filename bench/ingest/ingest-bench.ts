/**
 * Ingest benchmark (not a test): STOW-RS of generated DX X-rays and cloned 12-lead ECGs at
 * concurrency 1 and 4 into CountyLink, beside a raw disk write of the same bytes and — when
 * installed — Orthanc with its DICOMweb plugin; and the same files by C-STORE (dcmtk storescu, one
 * association per worker) into CountyLink's DIMSE listener and Orthanc's DICOM server. Prints
 * instances/s, MB/s, p50/p99 and the ratios.
 *
 *   npm run bench:ingest   (BENCH_DX=16 BENCH_ECG=300 BENCH_ROUNDS=3; BENCH_ONLY=CountyLink,ECG narrows a run;
 *                           the C-STORE targets are CountyLink-C-STORE and Orthanc-C-STORE)
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { startEmbeddedPostgres } from '@countylink/persistence';
import { buildCorpus, CorpusFile } from './corpus';
import { runAssociations, runConcurrent, storescu, stowFile } from './load';
import { RunResult, summary } from './stats';
// Not the package index: it loads the e2e harness, whose seed path only exists in the source tree.
import { ORTHANC_BINARY, ORTHANC_DICOMWEB } from '@countylink/testing/dicom/orthanc';
import { freePort } from '@countylink/testing/postgres/test-postgres';
import { rawWrite, RunningTarget, startCountyLink, startOrthancTarget } from './targets';

const REPO = resolve(__dirname, '../../..');
const WORK = resolve(REPO, '.tmp/bench-ingest');
const FIXTURE = process.env.FIXTURES_DIR
  ? join(process.env.FIXTURES_DIR, 'waveform_ecg.dcm')
  : resolve(REPO, 'test/fixtures/dicom/waveform_ecg.dcm');
const DX_COUNT = Number(process.env.BENCH_DX ?? 16);
const ECG_COUNT = Number(process.env.BENCH_ECG ?? 300);
const CONCURRENCY = [1, 4];
/** The disk of a shared machine is noisy: each figure is the median of rounds that alternate the targets. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Narrow a run while profiling, e.g. BENCH_ONLY=CountyLink,ECG (targets: raw, CountyLink, Orthanc, CountyLink-C-STORE, Orthanc-C-STORE; kinds: DX, ECG). */
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const KINDS = ['DX', 'ECG'];
const CL_CSTORE = 'CountyLink C-STORE';
const ORTHANC_CSTORE = 'Orthanc C-STORE';
function wanted(target: string): boolean {
  const name = target.replace(/ /g, '-');
  const sameSort = ONLY.filter((o) => KINDS.includes(o) === KINDS.includes(name));
  return sameSort.length === 0 || sameSort.includes(name);
}

async function main(): Promise<void> {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const t0 = Date.now();
  const corpus = await buildCorpus(join(WORK, 'corpus'), FIXTURE, DX_COUNT, ECG_COUNT + 5);
  const warmup = corpus.ecg.splice(0, 5);
  log(
    `corpus: ${corpus.dx.length} DX (${mb(corpus.dx)} MB), ${corpus.ecg.length} ECG (${mb(corpus.ecg)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  const pg = await startEmbeddedPostgres({ dir: join(WORK, 'pg'), port: await freePort(), persistent: false });
  const orthanc = existsSync(ORTHANC_BINARY) && existsSync(ORTHANC_DICOMWEB);
  if (!orthanc)
    log(
      'Orthanc or its DICOMweb plugin is not installed (apt-get install orthanc orthanc-dicomweb): no comparison with it',
    );
  const dcmtk = await hasStorescu();
  if (!dcmtk) log('dcmtk is not installed (apt-get install dcmtk): no C-STORE figures');
  const results: RunResult[] = [];
  try {
    for (const [kind, files] of [
      ['DX', corpus.dx],
      ['ECG', corpus.ecg],
    ] as const) {
      for (const concurrency of CONCURRENCY) {
        if (!wanted(kind)) continue;
        const rounds: RunResult[] = [];
        const runs: Array<() => Promise<RunResult>> = [];
        if (wanted('raw')) {
          runs.push(async () => {
            const rawDir = join(WORK, `raw-${kind}-${concurrency}`);
            mkdirSync(rawDir, { recursive: true });
            try {
              return await measure('raw disk write', kind, concurrency, files, (f) =>
                rawWrite(f.path, join(rawDir, basename(f.path))),
              );
            } finally {
              rmSync(rawDir, { recursive: true, force: true });
            }
          });
        }
        if (wanted('CountyLink'))
          runs.push(() =>
            againstServer('CountyLink', kind, concurrency, files, warmup, (dir) => startCountyLink(REPO, pg.url, dir)),
          );
        if (orthanc && wanted('Orthanc'))
          runs.push(() => againstServer('Orthanc', kind, concurrency, files, warmup, (dir) => startOrthancTarget(dir)));
        if (dcmtk && wanted(CL_CSTORE))
          runs.push(() =>
            againstServer(CL_CSTORE, kind, concurrency, files, warmup, (dir) => startCountyLink(REPO, pg.url, dir)),
          );
        if (dcmtk && orthanc && wanted(ORTHANC_CSTORE))
          runs.push(() =>
            againstServer(ORTHANC_CSTORE, kind, concurrency, files, warmup, (dir) => startOrthancTarget(dir)),
          );
        for (let round = 0; round < ROUNDS; round++) {
          // Rotate who goes first, so a slow spell of the disk does not always fall on the same target.
          for (let i = 0; i < runs.length; i++) rounds.push(await runs[(i + round) % runs.length]());
        }
        for (const target of [...new Set(rounds.map((r) => r.target))])
          results.push(median(rounds.filter((r) => r.target === target)));
      }
    }
  } finally {
    await pg.stop();
  }
  report(results);
  rmSync(WORK, { recursive: true, force: true });
}

async function againstServer(
  target: string,
  kind: string,
  concurrency: number,
  files: CorpusFile[],
  warmup: CorpusFile[],
  start: (dir: string) => Promise<RunningTarget>,
): Promise<RunResult> {
  const dir = join(WORK, `${target.toLowerCase()}-${kind}-${concurrency}`);
  mkdirSync(dir, { recursive: true });
  const server = await start(dir);
  try {
    if (target.endsWith('C-STORE')) {
      await storescu(server.cstore, warmup);
      return record(target, kind, concurrency, files, await runAssociations(files, concurrency, server.cstore));
    }
    // At the run's concurrency, so every target has its threads and connections up before the clock starts.
    await runConcurrent(warmup, concurrency, (f) => stowFile(server.stow, f));
    return await measure(target, kind, concurrency, files, (f) => stowFile(server.stow, f));
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(
  target: string,
  kind: string,
  concurrency: number,
  files: CorpusFile[],
  work: (f: CorpusFile) => Promise<unknown>,
): Promise<RunResult> {
  return record(target, kind, concurrency, files, await runConcurrent(files, concurrency, work));
}

function record(
  target: string,
  kind: string,
  concurrency: number,
  files: CorpusFile[],
  { seconds, latenciesMs }: { seconds: number; latenciesMs: number[] },
): RunResult {
  const result = {
    target,
    kind,
    concurrency,
    instances: files.length,
    bytes: files.reduce((n, f) => n + f.size, 0),
    seconds,
    latenciesMs,
  };
  const s = summary(result);
  log(
    `${kind.padEnd(3)} c=${concurrency} ${target.padEnd(14)} ${s.instancesPerSecond.toFixed(1).padStart(7)} inst/s ${s.mbPerSecond.toFixed(1).padStart(7)} MB/s  p50 ${ms(s.p50)} ms  p99 ${ms(s.p99)} ms`,
  );
  return result;
}

function report(results: RunResult[]): void {
  const find = (target: string, kind: string, c: number) =>
    results.find((r) => r.target === target && r.kind === kind && r.concurrency === c);
  const rows = [
    '',
    `median of ${ROUNDS} rounds:`,
    '| kind | conc. | target | inst/s | MB/s | p50 ms | p99 ms | CountyLink ÷ this (MB/s, same road) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const s = summary(r);
    const cl = find(r.target.endsWith('C-STORE') ? CL_CSTORE : 'CountyLink', r.kind, r.concurrency);
    const ratio = cl && cl.target !== r.target ? (summary(cl).mbPerSecond / s.mbPerSecond).toFixed(2) : '';
    rows.push(
      `| ${r.kind} | ${r.concurrency} | ${r.target} | ${s.instancesPerSecond.toFixed(1)} | ${s.mbPerSecond.toFixed(1)} | ${ms(s.p50)} | ${ms(s.p99)} | ${ratio} |`,
    );
  }
  process.stdout.write(`${rows.join('\n')}\n\n`);
  const dx4 = find('CountyLink', 'DX', 4);
  const raw4 = find('raw disk write', 'DX', 4);
  const ortDx = find('Orthanc', 'DX', 4);
  const ecg4 = find('CountyLink', 'ECG', 4);
  const ortEcg = find('Orthanc', 'ECG', 4);
  if (dx4 && raw4)
    target('DX ≥ 0.6× the raw disk write (c=4, MB/s)', summary(dx4).mbPerSecond / summary(raw4).mbPerSecond, 0.6);
  if (dx4 && ortDx) target('DX ahead of Orthanc (c=4, MB/s)', summary(dx4).mbPerSecond / summary(ortDx).mbPerSecond, 1);
  for (const kind of KINDS) {
    for (const c of CONCURRENCY) {
      const dimse = find(CL_CSTORE, kind, c);
      if (!dimse) continue;
      const vs = (other: RunResult | undefined, what: string) =>
        other ? `${(summary(dimse).mbPerSecond / summary(other).mbPerSecond).toFixed(2)}× ${what}` : undefined;
      const parts = [
        vs(find('CountyLink', kind, c), 'CountyLink STOW-RS'),
        vs(find(ORTHANC_CSTORE, kind, c), "Orthanc's C-STORE SCP"),
      ].filter(Boolean);
      log(`C-STORE ${kind} c=${c}: CountyLink's DIMSE listener at ${parts.join(', ')} (MB/s)`);
    }
  }
  if (ecg4 && ortEcg)
    target(
      'ECG ≥ 1.5× Orthanc (c=4, inst/s)',
      summary(ecg4).instancesPerSecond / summary(ortEcg).instancesPerSecond,
      1.5,
    );
}

/** One line per target of the performance issue: the ratio measured in this run and whether it reaches the bar. */
function target(what: string, ratio: number, atLeast: number): void {
  log(`target ${what}: ${ratio.toFixed(2)}× → ${ratio >= atLeast ? 'met' : 'NOT met'}`);
}

/** The round with the median throughput, with the latencies of all rounds pooled. */
function median(rounds: RunResult[]): RunResult {
  const sorted = [...rounds].sort((a, b) => a.seconds - b.seconds);
  const middle = sorted[Math.floor(sorted.length / 2)];
  return { ...middle, latenciesMs: rounds.flatMap((r) => r.latenciesMs) };
}

function ms(value: number): string {
  return Number.isNaN(value) ? '—' : value.toFixed(1);
}

function hasStorescu(): Promise<boolean> {
  return new Promise((resolve) => execFile('storescu', ['--version'], (err) => resolve(!err)));
}

function mb(files: CorpusFile[]): string {
  return (files.reduce((n, f) => n + f.size, 0) / 1024 / 1024).toFixed(0);
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`ingest benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

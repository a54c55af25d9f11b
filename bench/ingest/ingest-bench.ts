/**
 * Ingest benchmark (not a test): STOW-RS of generated DX X-rays and cloned 12-lead ECGs at
 * concurrency 1 and 4 into CountyLink, beside a raw disk write of the same bytes and — when
 * installed — Orthanc with its DICOMweb plugin. Prints instances/s, MB/s, p50/p99 and the ratios.
 *
 *   npm run bench:ingest   (BENCH_DX=16 BENCH_ECG=300 BENCH_ROUNDS=3; BENCH_ONLY=CountyLink,ECG narrows a run)
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { startEmbeddedPostgres } from '@countylink/persistence';
import { buildCorpus, CorpusFile } from './corpus';
import { runConcurrent, stowFile } from './load';
import { RunResult, summary } from './stats';
import { freePort, ORTHANC_BINARY, ORTHANC_DICOMWEB } from '@countylink/testing';
import { rawWrite, RunningTarget, startCountyLink, startOrthancTarget } from './targets';

const REPO = resolve(__dirname, '../../..');
const WORK = resolve(REPO, '.tmp/bench-ingest');
const FIXTURE = process.env.FIXTURES_DIR ? join(process.env.FIXTURES_DIR, 'waveform_ecg.dcm') : resolve(REPO, 'test/fixtures/dicom/waveform_ecg.dcm');
const DX_COUNT = Number(process.env.BENCH_DX ?? 16);
const ECG_COUNT = Number(process.env.BENCH_ECG ?? 300);
const CONCURRENCY = [1, 4];
/** The disk of a shared machine is noisy: each figure is the median of rounds that alternate the targets. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Narrow a run while profiling, e.g. BENCH_ONLY=CountyLink,ECG (targets: raw, CountyLink, Orthanc; kinds: DX, ECG). */
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const KINDS = ['DX', 'ECG'];
function wanted(name: string): boolean {
  const sameSort = ONLY.filter((o) => KINDS.includes(o) === KINDS.includes(name));
  return sameSort.length === 0 || sameSort.includes(name);
}

async function main(): Promise<void> {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const t0 = Date.now();
  const corpus = await buildCorpus(join(WORK, 'corpus'), FIXTURE, DX_COUNT, ECG_COUNT + 5);
  const warmup = corpus.ecg.splice(0, 5);
  log(`corpus: ${corpus.dx.length} DX (${mb(corpus.dx)} MB), ${corpus.ecg.length} ECG (${mb(corpus.ecg)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const pg = await startEmbeddedPostgres({ dir: join(WORK, 'pg'), port: await freePort(), persistent: false });
  const orthanc = existsSync(ORTHANC_BINARY) && existsSync(ORTHANC_DICOMWEB);
  if (!orthanc) log('Orthanc or its DICOMweb plugin is not installed (apt-get install orthanc orthanc-dicomweb): no comparison with it');
  const results: RunResult[] = [];
  try {
    for (const [kind, files] of [['DX', corpus.dx], ['ECG', corpus.ecg]] as const) {
      for (const concurrency of CONCURRENCY) {
        if (!wanted(kind)) continue;
        const rounds: RunResult[] = [];
        const runs: Array<() => Promise<RunResult>> = [];
        if (wanted('raw')) {
          runs.push(async () => {
            const rawDir = join(WORK, `raw-${kind}-${concurrency}`);
            mkdirSync(rawDir, { recursive: true });
            try {
              return await measure('raw disk write', kind, concurrency, files, (f) => rawWrite(f.path, join(rawDir, basename(f.path))));
            } finally {
              rmSync(rawDir, { recursive: true, force: true });
            }
          });
        }
        if (wanted('CountyLink')) runs.push(() => againstServer('CountyLink', kind, concurrency, files, warmup, (dir) => startCountyLink(REPO, pg.url, dir)));
        if (orthanc && wanted('Orthanc')) runs.push(() => againstServer('Orthanc', kind, concurrency, files, warmup, (dir) => startOrthancTarget(dir)));
        for (let round = 0; round < ROUNDS; round++) {
          // Rotate who goes first, so a slow spell of the disk does not always fall on the same target.
          for (let i = 0; i < runs.length; i++) rounds.push(await runs[(i + round) % runs.length]());
        }
        for (const target of [...new Set(rounds.map((r) => r.target))]) results.push(median(rounds.filter((r) => r.target === target)));
      }
    }
  } finally {
    await pg.stop();
  }
  report(results);
  rmSync(WORK, { recursive: true, force: true });
}

async function againstServer(target: string, kind: string, concurrency: number, files: CorpusFile[], warmup: CorpusFile[],
  start: (dir: string) => Promise<RunningTarget>): Promise<RunResult> {
  const dir = join(WORK, `${target.toLowerCase()}-${kind}-${concurrency}`);
  mkdirSync(dir, { recursive: true });
  const server = await start(dir);
  try {
    for (const f of warmup) await stowFile(server.stow, f);
    return await measure(target, kind, concurrency, files, (f) => stowFile(server.stow, f));
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(target: string, kind: string, concurrency: number, files: CorpusFile[], work: (f: CorpusFile) => Promise<unknown>): Promise<RunResult> {
  const { seconds, latenciesMs } = await runConcurrent(files, concurrency, work);
  const result = { target, kind, concurrency, instances: files.length, bytes: files.reduce((n, f) => n + f.size, 0), seconds, latenciesMs };
  const s = summary(result);
  log(`${kind.padEnd(3)} c=${concurrency} ${target.padEnd(14)} ${s.instancesPerSecond.toFixed(1).padStart(7)} inst/s ${s.mbPerSecond.toFixed(1).padStart(7)} MB/s  p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms`);
  return result;
}

function report(results: RunResult[]): void {
  const find = (target: string, kind: string, c: number) => results.find((r) => r.target === target && r.kind === kind && r.concurrency === c);
  const rows = ['', `median of ${ROUNDS} rounds:`, '| kind | conc. | target | inst/s | MB/s | p50 ms | p99 ms | CountyLink ÷ this (MB/s) |', '|---|---|---|---|---|---|---|---|'];
  for (const r of results) {
    const s = summary(r);
    const cl = find('CountyLink', r.kind, r.concurrency);
    const ratio = cl && r.target !== 'CountyLink' ? (summary(cl).mbPerSecond / s.mbPerSecond).toFixed(2) : '';
    rows.push(`| ${r.kind} | ${r.concurrency} | ${r.target} | ${s.instancesPerSecond.toFixed(1)} | ${s.mbPerSecond.toFixed(1)} | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} | ${ratio} |`);
  }
  process.stdout.write(`${rows.join('\n')}\n\n`);
  const dx4 = find('CountyLink', 'DX', 4);
  const raw4 = find('raw disk write', 'DX', 4);
  const ortDx = find('Orthanc', 'DX', 4);
  const ecg4 = find('CountyLink', 'ECG', 4);
  const ortEcg = find('Orthanc', 'ECG', 4);
  if (dx4 && raw4) log(`target DX ≥ half the raw disk write (c=4): ${(summary(dx4).mbPerSecond / summary(raw4).mbPerSecond).toFixed(2)} of raw → ${summary(dx4).mbPerSecond >= summary(raw4).mbPerSecond / 2 ? 'met' : 'NOT met'}`);
  if (dx4 && ortDx) log(`target DX ahead of Orthanc (c=4, MB/s): ${(summary(dx4).mbPerSecond / summary(ortDx).mbPerSecond).toFixed(2)}× → ${summary(dx4).mbPerSecond > summary(ortDx).mbPerSecond ? 'met' : 'NOT met'}`);
  if (ecg4 && ortEcg) log(`target ECG ahead of Orthanc (c=4, inst/s): ${(summary(ecg4).instancesPerSecond / summary(ortEcg).instancesPerSecond).toFixed(2)}× → ${summary(ecg4).instancesPerSecond > summary(ortEcg).instancesPerSecond ? 'met' : 'NOT met'}`);
}

/** The round with the median throughput, with the latencies of all rounds pooled. */
function median(rounds: RunResult[]): RunResult {
  const sorted = [...rounds].sort((a, b) => a.seconds - b.seconds);
  const middle = sorted[Math.floor(sorted.length / 2)];
  return { ...middle, latenciesMs: rounds.flatMap((r) => r.latenciesMs) };
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

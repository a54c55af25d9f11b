import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '../../..');
export const CONSOLE_SRC = join(REPO, 'apps/clinician-console');
export const CONSOLE_DIST = join(REPO, 'dist/clinician-console');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  const index = join(CONSOLE_DIST, 'index.html');
  return !existsSync(index) || statSync(index).mtimeMs < newestMtime(CONSOLE_SRC);
}

/**
 * The browser tests run against the built console, as `npm start` serves it: built here when
 * missing or older than its sources (a fresh clone, an edit), once even if suites start together.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  const lock = join(REPO, 'dist/.console-build.lock');
  mkdirSync(join(REPO, 'dist'), { recursive: true });
  for (const deadline = Date.now() + 180_000; ;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline)
        throw new Error(`console build lock ${lock} held for 3 minutes; remove it if no build runs`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (isStale()) {
      execFileSync(
        process.execPath,
        [
          join(REPO, 'node_modules/vite/bin/vite.js'),
          'build',
          '--config',
          join(CONSOLE_SRC, 'vite.config.ts'),
          '--logLevel',
          'warn',
        ],
        { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] },
      );
    }
  } finally {
    rmdirSync(lock);
  }
}

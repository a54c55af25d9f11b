/**
 * An app from the build (`dist/apps/<app>/src/main.js`) in a process of its own, as the benches run
 * what they measure: started on a free port with `env`, ready once `/health/ready` answers.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { basename, dirname } from 'node:path';
// Not the package index: it loads the e2e harness, whose seed path only exists in the source tree.
import { waitFor } from '@countylink/testing/app/wait-for';
import { freePort } from '@countylink/testing/postgres/test-postgres';

export interface BuiltApp {
  url: string;
  child: ChildProcess;
}

/** `nodeArgs`, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", looks inside the process. */
export async function startBuiltApp(
  main: string,
  nodeArgs: string | undefined,
  env: Record<string, string>,
): Promise<BuiltApp> {
  const app = basename(dirname(dirname(main)));
  const port = await freePort();
  const child = spawn(process.execPath, [...(nodeArgs ?? '').split(' ').filter(Boolean), main], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    `the ${app} process`,
    async () => {
      if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode} (run npm run build first)`);
      return (await fetch(`${url}/health/ready`).catch(() => undefined))?.ok;
    },
    60_000,
  ).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  return { url, child };
}

/** SIGTERM, and SIGKILL if it has not exited 15 s later. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

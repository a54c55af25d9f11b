import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface AppInstance {
  url: string;
  process: ChildProcess;
}

const MAIN = resolve(__dirname, '../../apps/standalone/src/main.js');

/** Starts a built CountyLink (registry + slots) as its own process and waits until it is ready. */
export async function startInstance(port: number, env: Record<string, string>): Promise<AppInstance> {
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to look inside an instance.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
    // Two instances on one host: each takes a free DIMSE port rather than both asking for 11112.
    env: { ...process.env, DICOM_DIMSE_PORT: '0', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`instance on port ${port} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return { url, process: child };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`instance on port ${port} not ready after 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function stopInstance(instance: AppInstance): Promise<void> {
  if (instance.process.exitCode !== null) return;
  const exited = new Promise((r) => instance.process.once('exit', r));
  instance.process.kill('SIGTERM');
  await exited;
}

import { resolve } from 'node:path';
import { BuiltApp, startBuiltApp, stopChild } from '../built-app';

export type AppInstance = BuiltApp;

const MAIN = resolve(__dirname, '../../apps/standalone/src/main.js');

/** Starts a built CountyLink (registry + slots) as its own process; BENCH_NODE_ARGS looks inside it. */
export function startInstance(env: Record<string, string>): Promise<AppInstance> {
  // Two instances on one host: each takes a free DIMSE port rather than both asking for 11112.
  return startBuiltApp(MAIN, process.env.BENCH_NODE_ARGS, { DICOM_DIMSE_PORT: '0', ...env });
}

export function stopInstance(instance: AppInstance): Promise<void> {
  return stopChild(instance.child);
}

import { resolve } from 'node:path';
import { BuiltApp, startBuiltApp, stopChild } from '../built-app';

export type AppInstance = BuiltApp;

const MAIN = {
  standalone: resolve(__dirname, '../../apps/standalone/src/main.js'),
  slots: resolve(__dirname, '../../apps/specialist-slots/src/main.js'),
  registry: resolve(__dirname, '../../apps/referral-registry/src/main.js'),
};

export type BenchApp = keyof typeof MAIN;

/** Starts a built CountyLink app as its own process; BENCH_NODE_ARGS looks inside it. */
export function startInstance(env: Record<string, string>, app: BenchApp): Promise<AppInstance> {
  // Two all-in-one instances on one host: each takes a free DIMSE port rather than both asking for 11112.
  return startBuiltApp(MAIN[app], process.env.BENCH_NODE_ARGS, { DICOM_DIMSE_PORT: '0', ...env });
}

export function stopInstance(instance: AppInstance): Promise<void> {
  return stopChild(instance.child);
}

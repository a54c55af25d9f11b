import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';

let defaultsCollected = false;

/** Process metrics once per process, however many Nest apps a test boots in it. */
export function ensureDefaultMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register });
}

type Labels = readonly string[];

/** Metrics are process-wide: a second app instance in the same process reuses the first's. */
export function counter<L extends string>(name: string, help: string, labelNames: Labels & L[] = []): Counter<L> {
  return (register.getSingleMetric(name) as Counter<L>) ?? new Counter<L>({ name, help, labelNames });
}

export function gauge<L extends string>(name: string, help: string, labelNames: Labels & L[] = []): Gauge<L> {
  return (register.getSingleMetric(name) as Gauge<L>) ?? new Gauge<L>({ name, help, labelNames });
}

export function histogram<L extends string>(
  name: string,
  help: string,
  labelNames: Labels & L[] = [],
  buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
): Histogram<L> {
  return (register.getSingleMetric(name) as Histogram<L>) ?? new Histogram<L>({ name, help, labelNames, buckets });
}

export { register as metricsRegistry };

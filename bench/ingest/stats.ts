export interface RunResult {
  target: string;
  kind: string;
  concurrency: number;
  instances: number;
  bytes: number;
  seconds: number;
  latenciesMs: number[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function summary(r: RunResult) {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  return {
    instancesPerSecond: r.instances / r.seconds,
    mbPerSecond: r.bytes / 1024 / 1024 / r.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

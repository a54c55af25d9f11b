/**
 * Latencies as a log histogram (1 % wide buckets from 0.1 ms), so that the client processes send
 * counts, not every receipt, and their histograms add up.
 */
const FLOOR_MS = 0.1;
const STEP = Math.log(1.01);

export type Histogram = Record<number, number>;

export function bucketOf(ms: number): number {
  return ms <= FLOOR_MS ? 0 : Math.ceil(Math.log(ms / FLOOR_MS) / STEP);
}

const upperBound = (bucket: number) => FLOOR_MS * Math.exp(bucket * STEP);

export function add(h: Histogram, ms: number): void {
  const b = bucketOf(ms);
  h[b] = (h[b] ?? 0) + 1;
}

export function merge(into: Histogram, from: Histogram): Histogram {
  for (const [b, n] of Object.entries(from)) into[Number(b)] = (into[Number(b)] ?? 0) + n;
  return into;
}

export function countOf(h: Histogram): number {
  return Object.values(h).reduce((s, n) => s + n, 0);
}

/** The q-quantile (0..1), within 1 %; NaN for an empty histogram. */
export function quantile(h: Histogram, q: number): number {
  const buckets = Object.keys(h)
    .map(Number)
    .sort((a, b) => a - b);
  const total = countOf(h);
  if (total === 0) return NaN;
  const rank = Math.min(total, Math.max(1, Math.ceil(q * total)));
  let seen = 0;
  for (const b of buckets) {
    seen += h[b];
    if (seen >= rank) return upperBound(b);
  }
  return upperBound(buckets[buckets.length - 1]);
}

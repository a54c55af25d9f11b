import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Asset {
  path: string;
  raw: number;
  gzip: number;
}

export interface BundleSizes {
  /** What index.html loads before anything else: its module script, modulepreloads and stylesheets. */
  initial: Asset[];
  /** Every other chunk under /assets (loaded by a route or on demand). */
  lazy: Asset[];
}

/** gzip -6, what a reverse proxy's gzip or express's compression would send. */
function asset(dist: string, path: string): Asset {
  const bytes = readFileSync(join(dist, path));
  return { path, raw: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length };
}

export function measureBundle(dist: string): BundleSizes {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = [
    ...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\brel="(?:modulepreload|stylesheet)"[^>]*\bhref)="([^"]+)"/g),
  ].map((m) => m[1].replace(/^\//, ''));
  const chunks = readdirSync(join(dist, 'assets'))
    .filter((f) => /\.(js|css)$/.test(f))
    .map((f) => `assets/${f}`);
  return {
    initial: refs.map((p) => asset(dist, p)),
    lazy: chunks.filter((c) => !refs.includes(c)).map((p) => asset(dist, p)),
  };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const sum = (assets: Asset[], key: 'raw' | 'gzip') => assets.reduce((n, a) => n + a[key], 0);

import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const backbone = process.env.COUNTYLINK_URL ?? 'http://localhost:3000';

/**
 * The clinician console: built into dist/clinician-console, which the standalone app serves at `/`.
 * `vite --config apps/clinician-console/vite.config.ts` serves it on :5173 against a running backbone.
 */
export default defineConfig({
  root: __dirname,
  base: '/',
  // React's automatic runtime through esbuild: no Babel plugin (and its install footprint) needed.
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: resolve(__dirname, '../../dist/clinician-console'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // The console, and the page the OIDC provider's silent renewal loads in a hidden iframe (a few KB, not the console).
      input: {
        index: resolve(__dirname, 'index.html'),
        'silent-callback': resolve(__dirname, 'auth/silent-callback.html'),
      },
      // antd marks its modules "use client" for React Server Components; a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': backbone,
      '/dicomweb': backbone,
      '/socket.io': { target: backbone, ws: true },
    },
  },
});

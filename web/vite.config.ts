import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const sdk = (path: string) => fileURLToPath(new URL(`../clients/js/packages/${path}`, import.meta.url));

// Served by the server at /ui; the SDK is compiled from its sources, so the dashboard always uses
// the SDK of the same commit and React is deduplicated between the app and @spectralnotify/react.
export default defineConfig({
  base: '/ui/',
  resolve: {
    alias: {
      '@spectralnotify/client': sdk('client/src/index.ts'),
      '@spectralnotify/react': sdk('react/src/index.ts'),
    },
    dedupe: ['react', 'react-dom'],
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inline assets: the Content-Security-Policy allows only files from the server itself.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  test: {
    environment: 'happy-dom',
    include: ['test/**/*.test.{ts,tsx}'],
  },
});

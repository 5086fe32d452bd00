import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// End-to-end: the SDK (from source, like the unit tests) against the real server process
// (src/SpectralNotify.Cli/bin/Release/net10.0/spectral.dll, built by scripts/test.sh) on SQLite
// and on PostgreSQL (SPECTRAL_TEST_PG). One file at a time: each starts its own servers.
const alias = { '@spectralnotify/client': fileURLToPath(new URL('packages/client/src/index.ts', import.meta.url)) };

export default defineConfig({
  resolve: { alias },
  test: {
    name: 'e2e',
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    watch: false,
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});

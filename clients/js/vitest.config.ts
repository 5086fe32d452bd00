import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import the client from source, so `npm test` needs no build first.
const alias = { '@spectralnotify/client': fileURLToPath(new URL('packages/client/src/index.ts', import.meta.url)) };

export default defineConfig({
  test: {
    watch: false,
    testTimeout: 15_000,
    projects: [
      { extends: true, resolve: { alias }, test: { name: 'client', include: ['packages/client/test/**/*.test.ts'], environment: 'node' } },
      { extends: true, resolve: { alias }, test: { name: 'react', include: ['packages/react/test/**/*.test.tsx'], environment: 'happy-dom' } },
    ],
  },
});

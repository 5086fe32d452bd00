import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Measurements, not tests: run by hand (`npm run bench`), figures go to docs/benchmarks.md.
export default defineConfig({ ...base, testDir: 'bench', timeout: 900_000 });

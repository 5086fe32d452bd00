// Builds the package in the current directory: one ESM bundle (esbuild; JSON such as routes.json
// is inlined, so no runtime needs JSON import attributes) plus .d.ts files (tsc).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const entry = existsSync('src/index.tsx') ? 'src/index.tsx' : 'src/index.ts';
rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: [entry],
  outfile: 'dist/index.js',
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2020',
  jsx: 'automatic',
  sourcemap: true,
  external: [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {}), 'react/jsx-runtime'],
  logLevel: 'warning',
});

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--emitDeclarationOnly', '--outDir', 'dist'], { stdio: 'inherit' });

// tsc's routes.d.ts would import routes.json, which is not shipped: declare the names instead.
if (existsSync('src/routes.json')) {
  const names = Object.keys(JSON.parse(readFileSync('src/routes.json', 'utf8')).rest);
  writeFileSync(
    'dist/routes.d.ts',
    `export type RouteName = ${names.map((n) => JSON.stringify(n)).join(' | ')};\n` +
      'export declare const livePath: string;\n' +
      'export interface ResolvedRoute {\n    method: string;\n    path: string;\n}\n' +
      'export declare function resolveRoute(name: RouteName, params?: Record<string, string>): ResolvedRoute;\n',
  );
}
console.log(`built ${pkg.name}@${pkg.version}`);

#!/usr/bin/env node
/**
 * Bundles the command line into `dist/bundle/` with esbuild, so start-up loads a few files instead
 * of a few hundred modules (`docs/performance.md`, start-up). Commands stay lazy: every dynamic
 * `import()` of the sources becomes its own chunk (code splitting), loaded when the command runs.
 * The native and driver packages stay outside the bundle (`better-sqlite3` loads a compiled addon,
 * `pg` is loaded only for PostgreSQL stores); everything else is inlined.
 *
 * Runs in `build` and `prepare` (so `npm ci` leaves a working `bin/catalog-debug.js`), after
 * `scripts/build-info.mjs`. Usage: node scripts/bundle.mjs [OUTDIR]   (default: dist/bundle)
 */
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outdir = process.argv[2] ?? join(root, 'dist', 'bundle')
rmSync(outdir, { recursive: true, force: true })
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'pg'],
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies (cli-table3, …) call require() for node's own modules.
  banner: { js: "import { createRequire as __cdCreateRequire } from 'node:module'; const require = __cdCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
})

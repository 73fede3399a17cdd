#!/usr/bin/env node
/**
 * Bundles the command line into `dist/bundle/` with esbuild, so start-up loads a few files instead
 * of a few hundred modules (`docs/performance.md`, start-up). Commands stay lazy: every dynamic
 * `import()` of the sources becomes its own chunk (code splitting), loaded when the command runs.
 * The native and driver packages stay outside the bundle (`better-sqlite3` loads a compiled addon,
 * `pg` is loaded only for PostgreSQL stores); everything else is inlined.
 *
 * `string-width` (what yargs, cliui and wrap-ansi measure every word of the help with) gets a
 * fast path for printable ASCII, whose width is its length: the package segments each string into
 * graphemes and builds an emoji regular expression per character, which was a sixth of `--help`'s
 * start-up. Anything else (ANSI escapes, non-ASCII text) still goes to the package itself.
 *
 * Runs in `build` and `prepare` (so `npm ci` leaves a working `bin/catalog-debug.js`), after
 * `scripts/build-info.mjs`. Usage: node scripts/bundle.mjs [OUTDIR]   (default: dist/bundle)
 */
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/** Wraps every ESM import of `string-width` in an ASCII fast path (see above). */
const asciiStringWidth = {
  name: 'ascii-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.kind !== 'import-statement' || args.pluginData === 'real') return undefined
      const real = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' })
      if (real.errors.length > 0) return { errors: real.errors }
      return { path: real.path, namespace: 'ascii-string-width' }
    })
    b.onLoad({ filter: /.*/, namespace: 'ascii-string-width' }, (args) => ({
      resolveDir: dirname(args.path),
      contents: `import stringWidth from ${JSON.stringify(args.path)}
const printableAscii = /^[\x20-\x7e]*$/
export default function asciiFastStringWidth(text, options) {
  return typeof text === 'string' && printableAscii.test(text) ? text.length : stringWidth(text, options)
}
`,
    }))
  },
}

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
  plugins: [asciiStringWidth],
  logLevel: 'warning',
  legalComments: 'none',
})

#!/usr/bin/env node
/**
 * Writes `build-info.json` at the package root: the commit this build was made from, which the
 * command line shows in `--version` and in `upgrade-check`'s line (`v0.91.0 (1a2b3c4d5)`, the way
 * Materialize's `BuildInfo::human_version` prints its build; `src/build-info/src/lib.rs`).
 *
 * The commit is, in order: `$CATALOG_DEBUG_BUILD_SHA` (for builds outside a git checkout, like
 * Materialize's `MZ_DEV_BUILD_SHA`), `git rev-parse --verify HEAD` in the package root, or forty
 * zeros (an unknown build, as Materialize's `DUMMY_BUILD_INFO` has). It runs before `tsc` in
 * `build`, `prepare` and `test`; any other build step (a bundler) can run it the same way.
 *
 * Usage: node scripts/build-info.mjs [OUTPUT_FILE]   (default: <package root>/build-info.json)
 */
import { execFileSync } from 'node:child_process'
import { realpathSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const UNKNOWN = '0'.repeat(40)
const SHA = /^[0-9a-f]{40}$/

function commit() {
  const given = process.env.CATALOG_DEBUG_BUILD_SHA?.trim().toLowerCase()
  if (given !== undefined && given !== '') {
    if (!SHA.test(given)) throw new Error(`CATALOG_DEBUG_BUILD_SHA must be 40 hex digits, got "${given}"`)
    return given
  }
  const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  try {
    // Only this package's own checkout counts: an installed copy may sit inside someone else's repository.
    if (realpathSync(git('rev-parse', '--show-toplevel')) !== realpathSync(root)) return UNKNOWN
    const head = git('rev-parse', '--verify', 'HEAD')
    return SHA.test(head) ? head : UNKNOWN
  } catch {
    return UNKNOWN
  }
}

const out = process.argv[2] ?? join(root, 'build-info.json')
writeFileSync(out, `${JSON.stringify({ sha: commit() })}\n`)

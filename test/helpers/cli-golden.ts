/**
 * Golden files for command-line output under fixtures/golden/cli/. `UPDATE_GOLDEN=1` rewrites
 * them; otherwise a missing or different file fails the test with a line diff.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'

/** The repository root: the nearest directory up from this file with catalog-debug's package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'catalog-debug') return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error('cannot find the repository root')
    dir = parent
  }
}

export const GOLDEN_DIR = join(repoRoot(), 'fixtures', 'golden', 'cli')

export function assertGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name)
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, actual)
    return
  }
  assert.ok(existsSync(path), `golden file ${name} is missing; run with UPDATE_GOLDEN=1 to create it`)
  assert.equal(actual, readFileSync(path, 'utf8'), `output differs from golden file ${name} (UPDATE_GOLDEN=1 rewrites it)`)
}

export interface NormalizeOptions {
  /** Literal strings to replace, e.g. a temp directory → `<DIR>`. */
  readonly replace?: ReadonlyArray<readonly [string, string]>
}

/**
 * Makes output stable: no ANSI, temp paths and volatile values replaced by placeholders
 * (durations in ms, host names, the build's commit, random UUIDs the caller names).
 */
export function normalize(text: string, opts: NormalizeOptions = {}): string {
  let out = stripVTControlCharacters(text)
  for (const [from, to] of opts.replace ?? []) out = out.split(from).join(to)
  return (
    out
      .replace(/would succeed in about \d+ ms/g, 'would succeed in about <N> ms')
      .replace(/"duration_ms": ?\d+/g, '"duration_ms": <N>')
      // The build's commit (`v0.91.0 (1a2b3c4d5)`): it changes with every commit.
      .replace(/(v\d+\.\d+\.\d+\S*) \([0-9a-f]{9}\)/g, '$1 (<sha>)')
      .replace(/timing: (.*) \d+(\.\d+)? ms/g, 'timing: $1 <N> ms')
      // Facts of the machine running the tests, not of catalog-debug.
      .replace(/(filesystem|sqlite_version)(": "|: )[^"\n]*/g, '$1$2<$1>')
  )
}

/**
 * The shipped command line is an esbuild bundle (`scripts/bundle.mjs`, run by `build` and
 * `prepare`): it must behave as the sources do. Bundles into build/ and runs the README's first
 * command, `--version`, `--help` and `epoch` through it, against the test build's output; and a
 * PostgreSQL store through it (the backend is a lazily loaded chunk of its own), on a real server.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '../helpers/fixture-testing.js'
import { describePostgres } from '../helpers/postgres-server.js'

const root = repoRoot()
const outdir = join(root, 'build', 'bundle-test')

function run(entry: string, args: readonly string[]): string {
  return execFileSync(process.execPath, [entry, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
}

// A checkout whose node_modules predate esbuild (copied, not `npm ci`) cannot bundle: say so.
const noEsbuild = existsSync(join(root, 'node_modules', 'esbuild')) ? false : 'esbuild is not installed (run npm ci)'

const sources = join(root, 'build', 'test', 'helpers', 'cli-bin.js')
const demo = join(root, 'fixtures', 'demo-v47.ndjson')
let bundled: string | undefined

/** Bundles once (into build/bundle-test) and returns the launcher, run as bin/catalog-debug.js runs the bundle. */
function bundle(): string {
  if (bundled !== undefined) return bundled
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle.mjs'), outdir], { cwd: root })
  const entry = join(outdir, 'bin.mjs')
  writeFileSync(entry, "import { main } from './main.js'\nprocess.exitCode = await main(process.argv.slice(2))\n")
  bundled = entry
  return entry
}

test('the bundle runs the README command, --version, --help and epoch as the sources do', { skip: noEsbuild }, () => {
  const entry = bundle()
  // Commands stay lazy: they are chunks of their own, not part of the entry.
  assert.ok(readdirSync(join(outdir, 'chunks')).length > 10)
  for (const args of [['--version'], ['--help'], ['--store', demo, 'epoch'], ['--store', demo, 'dump', '--ignore-large-collections']]) {
    assert.equal(run(entry, args), run(sources, args), args.join(' '))
  }
})

describePostgres('the bundle and a PostgreSQL store', (server) => {
  test('the bundle imports a catalog into PostgreSQL and reads it back as the sources do', { skip: noEsbuild }, () => {
    const entry = bundle()
    const url = server().createDatabase('bundle')
    assert.match(run(entry, ['--store', url, 'import', demo]), /^/)
    for (const args of [
      ['--store', url, 'epoch'],
      ['--store', url, 'dump', '--ignore-large-collections'],
    ]) {
      assert.equal(run(entry, args), run(sources, args), args.join(' '))
    }
  })
})

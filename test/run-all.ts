/**
 * `npm test`: runs every compiled `*.test.js` under `build/test/`, at any depth, with node:test.
 * Test files are discovered, not listed, so a new file in a subfolder cannot be left out; the
 * count printed first says how many ran. Arguments pass through to `node --test`.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(fileURLToPath(import.meta.url))
const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.js'))
  .sort()
  .map((f) => join(root, f))
if (files.length === 0) {
  process.stderr.write(`no test files found under ${root}\n`)
  process.exitCode = 1
} else {
  const folders = new Set(files.map((f) => dirname(relative(root, f))))
  process.stdout.write(`# running ${files.length} test files from ${folders.size} folders under build/test/\n`)
  const run = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...process.argv.slice(2), ...files], { stdio: 'inherit' })
  process.exitCode = run.status ?? 1
}

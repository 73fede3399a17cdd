/**
 * Golden files for catalog tests under `fixtures/golden/catalog/`. With `UPDATE_GOLDEN=1` the test
 * rewrites the file instead of comparing (review the diff before committing it).
 */

import { strict as assert } from 'node:assert'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'fixtures'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('cannot find the package root')
    dir = parent
  }
  return dir
}

export function goldenPath(name: string): string {
  return join(packageRoot(), 'fixtures', 'golden', 'catalog', name)
}

/** Compares `lines` with the golden file line by line (or rewrites it under UPDATE_GOLDEN=1). */
export function assertGoldenLines(name: string, lines: readonly string[]): void {
  const path = goldenPath(name)
  const text = lines.map((l) => `${l}\n`).join('')
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, text)
    return
  }
  assert.ok(existsSync(path), `golden file ${path} is missing; run the test with UPDATE_GOLDEN=1 to create it`)
  const expected = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
  for (let i = 0; i < Math.max(expected.length, lines.length); i++) {
    assert.equal(lines[i], expected[i], `${name} line ${i + 1} differs`)
  }
}

/**
 * `boundHeapGrowth` (src/cli/heap-growth.ts): after it, a long run of allocations that survive
 * scavenges no longer grows V8's young generation (by default it doubles up to 2 × 16 MiB), in a
 * child process of its own since the flags are the process's. Guards against a Node or V8 that
 * ignores the flags at run time.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const MODULE = join(dirname(fileURLToPath(import.meta.url)), '../../src/cli/heap-growth.js')

/** The young generation's size (MiB) before and after allocations that survive scavenges. */
function youngGeneration(bound: boolean): { before: number; after: number; stderr: string } {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8'
    import { boundHeapGrowth } from ${JSON.stringify(MODULE)}
    const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576
    ${bound ? 'boundHeapGrowth()' : ''}
    const before = young()
    let held = []
    for (let i = 0; i < 2e6; i++) { held.push({ i, s: 'row ' + i }); if (held.length > 5000) held = [] }
    process.stdout.write(JSON.stringify({ before, after: young() }))
  `
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  return { ...JSON.parse(r.stdout), stderr: r.stderr }
}

test('bounding the heap keeps the young generation at its starting size, silently', () => {
  const free = youngGeneration(false)
  assert.ok(free.after >= 4 * free.before, `by default it grows: ${free.before} → ${free.after} MiB`)
  const bound = youngGeneration(true)
  assert.ok(bound.after <= 2 * bound.before, `bounded: ${bound.before} → ${bound.after} MiB`)
  assert.equal(bound.stderr, '', 'V8 accepts both flags without a word')
})

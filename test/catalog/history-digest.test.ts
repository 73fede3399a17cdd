/**
 * The digest `copy` verifies with (`fixture/history-digest.ts`): SHA-256 over each update's
 * `ts diff length:` and its row as UTF-8, in order, however the updates are batched, rows larger
 * than its buffer and rows of multi-byte characters included.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { HistoryDigest } from '../../src/catalog/fixture/history-digest.js'
import type { Update } from '../../src/store/shard-store.js'

/** The definition, one update at a time. */
function expected(updates: readonly Update[]): string {
  const h = createHash('sha256')
  for (const u of updates) h.update(`${u.ts} ${u.diff} ${u.data.length}:${u.data}`, 'utf8')
  return h.digest('hex')
}

const updates: Update[] = [
  { ts: 1n, diff: 1n, data: '{"key":{"name":"a"},"kind":"Setting","value":{"value":"1"}}' },
  { ts: 1n, diff: -1n, data: '{"key":{"name":"é€😀"},"kind":"Setting","value":{"value":"ü"}}' },
  { ts: 2n, diff: 3n, data: `{"key":{"name":"${'x'.repeat(300_000)}"},"kind":"Setting","value":{"value":"big"}}` },
  { ts: 2n, diff: 1n, data: `{"key":{"name":"${'€'.repeat(100_000)}"},"kind":"Setting","value":{"value":"wide"}}` },
  ...Array.from({ length: 3000 }, (_, i) => ({
    ts: BigInt(3 + (i >> 4)),
    diff: 1n,
    data: `{"key":{"id":${i}},"kind":"Item","value":{"n":"${'y'.repeat(i % 200)}"}}`,
  })),
]

test('the digest is the same however the updates are batched, and is the definition’s', () => {
  const want = expected(updates)
  for (const size of [1, 7, 256, updates.length]) {
    const d = new HistoryDigest()
    for (let i = 0; i < updates.length; i += size) d.add(updates.slice(i, i + size))
    assert.equal(d.updates, updates.length)
    assert.equal(d.digest(), want, `batches of ${size}`)
  }
  // Any change to one update changes it.
  const d = new HistoryDigest()
  d.add(updates.map((u, i) => (i === 1 ? { ...u, diff: 1n } : u)))
  assert.notEqual(d.digest(), want)
})

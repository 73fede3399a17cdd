/**
 * Diffing two stored catalogs in one pass over two ordered streams, in memory proportional to
 * their differences, not their size.
 *
 * Each side is its catalog shard's consolidated contents in data byte order
 * (`ShardStore.snapshotConsolidated`). A canonical row starts `{"key":K,"kind":"X"` (keys sort
 * first), and K is one complete JSON value, so every row of one (key, kind) lies in one contiguous
 * run of that order, and runs are ordered as these prefixes are. Merging the two streams run by
 * run, a run that is identical on both sides cannot differ and is dropped unparsed; what remains
 * (runs that differ, plus the few rows of another shape: the epoch, rows that are not canonical or
 * not rows at all) is summed into {@link CatalogContents} and compared by `diffCatalogs`, which
 * sees exactly the keys that differ.
 */
import { compareCodePoints } from '../../json/lossless-json.js'
import type { Update } from '../../store/shard-store.js'
import { runPrefix } from '../codec/row-prefix.js'
import { contentsFromUpdates, type RowCount } from './contents.js'
import { diffCatalogs, type CatalogDiff, type DiffOptions } from './diff-catalogs.js'

/** Reads one side run by run (rows of other shapes go to `other`). */
class RunReader {
  readonly other: RowCount[] = []
  rows = 0
  #it: AsyncIterator<readonly Update[]>
  #batch: readonly Update[] = []
  #i = 0
  #done = false
  /** The current run: its prefix (undefined at the end) and rows. */
  prefix: string | undefined
  run: RowCount[] = []
  #pending: { row: RowCount; prefix: string } | undefined

  constructor(source: AsyncIterable<readonly Update[]>) {
    this.#it = source[Symbol.asyncIterator]()
  }

  async #nextRow(): Promise<{ row: RowCount; prefix: string } | undefined> {
    for (;;) {
      while (this.#i < this.#batch.length) {
        const u = this.#batch[this.#i++] as Update
        this.rows++
        const prefix = runPrefix(u.data)
        if (prefix === undefined) this.other.push({ data: u.data, diff: u.diff })
        else return { row: { data: u.data, diff: u.diff }, prefix }
      }
      if (this.#done) return undefined
      const next = await this.#it.next()
      if (next.done === true) {
        this.#done = true
        return undefined
      }
      this.#batch = next.value
      this.#i = 0
    }
  }

  /** Advances to the next run. */
  async advance(): Promise<void> {
    const first = this.#pending ?? (await this.#nextRow())
    this.#pending = undefined
    if (first === undefined) {
      this.prefix = undefined
      this.run = []
      return
    }
    this.prefix = first.prefix
    this.run = [first.row]
    for (;;) {
      const next = await this.#nextRow()
      if (next === undefined) return
      if (next.prefix !== first.prefix) {
        this.#pending = next
        return
      }
      this.run.push(next.row)
    }
  }

  async close(): Promise<void> {
    await this.#it.return?.()
  }
}

function sameRun(a: readonly RowCount[], b: readonly RowCount[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as RowCount
    const y = b[i] as RowCount
    if (x.data !== y.data || x.diff !== y.diff) return false
  }
  return true
}

/**
 * Compares two consolidated streams in data order (see the module comment); the result is what
 * `diffCatalogs` gives for the full contents of both sides.
 */
export async function diffStreams(
  a: AsyncIterable<readonly Update[]>,
  b: AsyncIterable<readonly Update[]>,
  opts: DiffOptions = {},
  progress?: (rows: number) => void,
): Promise<CatalogDiff> {
  const ra = new RunReader(a)
  const rb = new RunReader(b)
  const onlyA: RowCount[] = []
  const onlyB: RowCount[] = []
  let reported = 0
  try {
    await ra.advance()
    await rb.advance()
    while (ra.prefix !== undefined || rb.prefix !== undefined) {
      const c = ra.prefix === undefined ? 1 : rb.prefix === undefined ? -1 : compareCodePoints(ra.prefix, rb.prefix)
      if (c === 0) {
        if (!sameRun(ra.run, rb.run)) {
          onlyA.push(...ra.run)
          onlyB.push(...rb.run)
        }
        await ra.advance()
        await rb.advance()
      } else if (c < 0) {
        onlyA.push(...ra.run)
        await ra.advance()
      } else {
        onlyB.push(...rb.run)
        await rb.advance()
      }
      const rows = ra.rows + rb.rows
      if (progress !== undefined && rows - reported >= 4096) {
        reported = rows
        progress(rows)
      }
    }
  } finally {
    await ra.close()
    await rb.close()
  }
  progress?.(ra.rows + rb.rows)
  return diffCatalogs(contentsFromUpdates([...onlyA, ...ra.other]), contentsFromUpdates([...onlyB, ...rb.other]), opts)
}

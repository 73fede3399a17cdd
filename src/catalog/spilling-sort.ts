/**
 * Consolidating and sorting a collection's updates in bounded memory (an external merge sort):
 * updates are summed per row in a buffer up to a memory budget; a full buffer's rows (the nonzero
 * sums) are sorted and written to a temporary file as one sorted run, and the runs are merged at
 * the end, one row of each run in memory (plus a read buffer per run). The merge brings the
 * partial sums of one row together (they are adjacent in run order) and adds them up, so the rows
 * that come out are the collection's current rows, in order. Updates that fit the budget are
 * consolidated and sorted in memory and touch no file.
 *
 * The temporary file is owner-only (created exclusively, mode 0600) in the system's temporary
 * directory (`os.tmpdir()`, `TMPDIR`), never beside the store, and is unlinked as soon as it is
 * open: it lives only as long as its descriptor, so no exit path (an error, a signal, a crash)
 * can leave it behind. On a system that cannot unlink an open file it is unlinked when the sort
 * is closed.
 */
import { randomUUID } from 'node:crypto'
import { closeSync, openSync, rmSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CatalogDebugError } from '../errors.js'
import { compareCodePoints } from '../json/lossless-json.js'
import { type Run, RunReader, RunWriter } from './sort-runs.js'

/**
 * One row: its stored text, its (partial) sum of diffs, and its key's sort prefix (if any): a
 * string of at most 254 characters 0–255 (bytes, as `codec/sort-prefix.ts` makes them).
 */
export interface SortRow {
  readonly data: string
  readonly diff: bigint
  readonly prefix: string | undefined
}

export interface ConsolidatingSortOptions {
  /** The sort prefix of a row (`undefined`: the row is compared in full). */
  readonly prefixOf: (data: string) => string | undefined
  /**
   * Orders two rows whose prefixes are equal or missing, without looking at their diffs; 0 only
   * for rows that are equal as decoded (the same text, or two spellings of one row).
   */
  readonly compareRows: (a: SortRow, b: SortRow) => number
  /** The budget of the buffer: the rows' text plus a fixed cost per row. */
  readonly memoryBytes: number
}

/** What a row costs the budget beyond its text: its map entry or row object, string headers. */
const ROW_OVERHEAD_BYTES = 96

/** Bytes written to the file at a time. */
const WRITE_CHUNK_BYTES = 1 << 20
/** Bytes read from each run at a time while merging: the budget shared by the runs, within these bounds. */
const READ_CHUNK_MIN_BYTES = 1 << 12
const READ_CHUNK_MAX_BYTES = 1 << 16

export class ConsolidatingSort {
  /** Partial sums per row text (zeros dropped as they occur). */
  #sums = new Map<string, bigint>()
  #bytes = 0
  #runs: Run[] = []
  /** The consolidated rows once finished: in memory, or as the file's last run. */
  #sorted: SortRow[] | Run | undefined
  #fd: number | undefined
  /** Set while the file still has a name (it could not be unlinked at once). */
  #path: string | undefined
  #fileEnd = 0
  #chunk: Buffer | undefined
  readonly #runOrder: (a: SortRow, b: SortRow) => number
  readonly #finalOrder: (a: SortRow, b: SortRow) => number

  constructor(private readonly opts: ConsolidatingSortOptions) {
    const byPrefix = (a: SortRow, b: SortRow) =>
      a.prefix !== undefined && b.prefix !== undefined && a.prefix !== b.prefix ? (a.prefix < b.prefix ? -1 : 1) : 0
    // Runs: partial sums of one row must meet, so the diff plays no part.
    // The same text is the same row (equal as decoded): no need to compare them decoded.
    this.#runOrder = (a, b) => (a.data === b.data ? 0 : byPrefix(a, b) || opts.compareRows(a, b) || compareCodePoints(a.data, b.data))
    // The result: rows equal as decoded by their sums, then by text.
    this.#finalOrder = (a, b) => byPrefix(a, b) || opts.compareRows(a, b) || cmpBig(a.diff, b.diff) || compareCodePoints(a.data, b.data)
  }

  /** Whether some rows went to the temporary file. */
  get spilled(): boolean {
    return this.#runs.length > 0
  }

  add(data: string, diff: bigint): void {
    const before = this.#sums.get(data)
    const sum = (before ?? 0n) + diff
    if (sum === 0n) {
      this.#sums.delete(data)
      this.#bytes -= data.length + ROW_OVERHEAD_BYTES
      return
    }
    this.#sums.set(data, sum)
    if (before !== undefined) return
    this.#bytes += data.length + ROW_OVERHEAD_BYTES
    if (this.#bytes >= this.opts.memoryBytes) this.#spill()
  }

  /**
   * Ends the input: consolidates what was spilled (the merged rows go to the file as its last
   * run) and returns how many rows there are and how many have a positive sum.
   */
  finish(): { rows: number; additions: number } {
    let rows = 0
    let additions = 0
    const count = (r: SortRow) => {
      rows++
      if (r.diff > 0n) additions++
    }
    if (this.#runs.length === 0) {
      const sorted = this.#takeRows().sort(this.#finalOrder)
      for (const r of sorted) count(r)
      this.#sorted = sorted
      return { rows, additions }
    }
    this.#spill()
    const out = new RunWriter(this.#file(), this.#fileEnd, this.#writeChunk())
    for (const r of this.#consolidated()) {
      count(r)
      out.add(r)
    }
    this.#sorted = out.end()
    this.#fileEnd = this.#sorted.end
    return { rows, additions }
  }

  /** The current rows in order, each once; closes the sort when done (or abandoned). Call once, after {@link finish}. */
  *rows(): Generator<SortRow> {
    try {
      const sorted = this.#sorted
      this.#sorted = undefined
      if (Array.isArray(sorted)) yield* sorted
      else if (sorted !== undefined) {
        const reader = new RunReader(this.#fd as number, sorted, READ_CHUNK_MAX_BYTES)
        for (let r = reader.next(); r !== undefined; r = reader.next()) yield r
      }
    } finally {
      this.close()
    }
  }

  /** Releases the buffer and the temporary file (idempotent). */
  close(): void {
    this.#sums = new Map()
    this.#sorted = undefined
    this.#chunk = undefined
    if (this.#fd !== undefined) {
      closeSync(this.#fd)
      this.#fd = undefined
    }
    if (this.#path !== undefined) {
      rmSync(this.#path, { force: true })
      this.#path = undefined
    }
  }

  /** The buffer's rows with their prefixes; empties the buffer. */
  #takeRows(): SortRow[] {
    const rows: SortRow[] = new Array<SortRow>(this.#sums.size)
    let n = 0
    for (const [data, diff] of this.#sums) rows[n++] = { data, diff, prefix: this.opts.prefixOf(data) }
    this.#sums = new Map()
    this.#bytes = 0
    return rows
  }

  /** Sorts the buffer's rows and appends them to the file as one run. */
  #spill(): void {
    if (this.#sums.size === 0) return
    const rows = this.#takeRows().sort(this.#runOrder)
    const out = new RunWriter(this.#file(), this.#fileEnd, this.#writeChunk())
    for (const r of rows) out.add(r)
    const run = out.end()
    this.#fileEnd = run.end
    this.#runs.push(run)
  }

  /**
   * The runs merged: partial sums of one row added up (zeros dropped), and each group of rows
   * equal as decoded (several spellings of one row) put in final order, by sum then text.
   */
  *#consolidated(): Generator<SortRow> {
    let group: SortRow[] = []
    let row: SortRow | undefined
    let sum = 0n
    const flushGroup = function* (this: ConsolidatingSort) {
      if (group.length > 1) group.sort(this.#finalOrder)
      yield* group
      group = []
    }
    const endRow = function* (this: ConsolidatingSort) {
      if (row === undefined || sum === 0n) return
      const r: SortRow = sum === row.diff ? row : { data: row.data, diff: sum, prefix: row.prefix }
      const head = group[0]
      if (head !== undefined && !this.#sameEntry(head, r)) yield* flushGroup.call(this)
      group.push(r)
    }
    for (const r of this.#merge()) {
      if (row !== undefined && r.data === row.data) {
        sum += r.diff
        continue
      }
      yield* endRow.call(this)
      row = r
      sum = r.diff
    }
    yield* endRow.call(this)
    yield* flushGroup.call(this)
  }

  /** Whether two different rows are equal as decoded. */
  #sameEntry(a: SortRow, b: SortRow): boolean {
    if (a.prefix !== undefined && b.prefix !== undefined && a.prefix !== b.prefix) return false
    return this.opts.compareRows(a, b) === 0
  }

  /** The chunk runs are written through: one per sort, so spilling allocates no buffer per run. */
  #writeChunk(): Buffer {
    this.#chunk ??= Buffer.allocUnsafe(WRITE_CHUNK_BYTES)
    return this.#chunk
  }

  /** The temporary file's descriptor, created on first use. */
  #file(): number {
    if (this.#fd !== undefined) return this.#fd
    const dir = tmpdir()
    const path = join(dir, `catalog-debug-sort-${randomUUID()}`)
    try {
      this.#fd = openSync(path, 'wx+', 0o600)
    } catch (err) {
      throw new CatalogDebugError(
        'sort-file',
        'failure',
        `cannot create a temporary file to sort in ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
        { cause: err, hint: 'set TMPDIR to a writable directory' },
      )
    }
    try {
      unlinkSync(path)
    } catch {
      this.#path = path
    }
    return this.#fd
  }

  /** A k-way merge of the runs in run order, through a binary heap of their next rows. */
  *#merge(): Generator<SortRow> {
    const fd = this.#fd as number
    const chunk = Math.max(READ_CHUNK_MIN_BYTES, Math.min(READ_CHUNK_MAX_BYTES, Math.floor(this.opts.memoryBytes / this.#runs.length)))
    type Head = { row: SortRow; reader: RunReader }
    const heap: Head[] = []
    for (const run of this.#runs) {
      const reader = new RunReader(fd, run, chunk)
      const row = reader.next()
      if (row !== undefined) heap.push({ row, reader })
    }
    const less = (i: number, j: number) => this.#runOrder((heap[i] as Head).row, (heap[j] as Head).row) < 0
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < heap.length && less(l, m)) m = l
        if (r < heap.length && less(r, m)) m = r
        if (m === i) return
        const t = heap[i] as Head
        heap[i] = heap[m] as Head
        heap[m] = t
        i = m
      }
    }
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i)
    while (heap.length > 0) {
      const top = heap[0] as Head
      yield top.row
      const next = top.reader.next()
      if (next !== undefined) top.row = next
      else {
        heap[0] = heap[heap.length - 1] as Head
        heap.pop()
      }
      down(0)
    }
  }
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}

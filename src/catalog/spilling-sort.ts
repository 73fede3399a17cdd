/**
 * A sort of consolidated rows in bounded memory (an external merge sort): rows are buffered up to
 * a memory budget; a full buffer is sorted and written to a temporary file as one sorted run, and
 * the runs are merged at the end, one row of each run in memory (plus a read buffer per run).
 * Rows that fit the budget are sorted in memory and touch no file.
 *
 * The temporary file is owner-only (created exclusively, mode 0600) in the system's temporary
 * directory (`os.tmpdir()`, `TMPDIR`), never beside the store, and is unlinked as soon as it is
 * open: it lives only as long as its descriptor, so no exit path (an error, a signal, a crash)
 * can leave it behind. On a system that cannot unlink an open file it is unlinked when the sort
 * is closed.
 */
import { randomUUID } from 'node:crypto'
import { closeSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CatalogDebugError } from '../errors.js'

/** One row to sort: its stored text, its consolidated diff, and its key's sort prefix (if any). */
export interface SortRow {
  readonly data: string
  readonly diff: bigint
  readonly prefix: string | undefined
}

/** What a row costs the budget beyond its text: the row object, its slot, string headers. */
const ROW_OVERHEAD_BYTES = 96

/** Bytes written to the file at a time. */
const WRITE_CHUNK_BYTES = 1 << 20
/** Bytes read from each run at a time while merging: the budget shared by the runs, within these bounds. */
const READ_CHUNK_MIN_BYTES = 1 << 12
const READ_CHUNK_MAX_BYTES = 1 << 16

/** `prefix` length byte of a row without a prefix. */
const NO_PREFIX = 255

/** A sorted run: where it lies in the file. */
interface Run {
  readonly start: number
  readonly end: number
}

export class SpillingSort {
  #rows: SortRow[] = []
  #bytes = 0
  #runs: Run[] = []
  #fd: number | undefined
  /** Set while the file still has a name (it could not be unlinked at once). */
  #path: string | undefined
  #fileEnd = 0

  /**
   * @param compare a total order of the rows (never 0 for two different rows).
   * @param memoryBytes the budget of the buffer (the rows' text plus a fixed cost per row).
   */
  constructor(
    private readonly compare: (a: SortRow, b: SortRow) => number,
    private readonly memoryBytes: number,
  ) {}

  /** Whether some rows went to the temporary file. */
  get spilled(): boolean {
    return this.#runs.length > 0
  }

  add(row: SortRow): void {
    this.#rows.push(row)
    this.#bytes += row.data.length + (row.prefix?.length ?? 0) + ROW_OVERHEAD_BYTES
    if (this.#bytes >= this.memoryBytes) this.#spill()
  }

  /**
   * The rows in order, each once; closes the sort when done (or abandoned). Call once, after
   * the last {@link add}.
   */
  *sorted(): Generator<SortRow> {
    try {
      if (this.#runs.length === 0) {
        const rows = this.#rows.sort(this.compare)
        this.#rows = []
        yield* rows
        return
      }
      this.#spill()
      yield* this.#merge()
    } finally {
      this.close()
    }
  }

  /** Releases the temporary file (idempotent). */
  close(): void {
    this.#rows = []
    if (this.#fd !== undefined) {
      closeSync(this.#fd)
      this.#fd = undefined
    }
    if (this.#path !== undefined) {
      rmSync(this.#path, { force: true })
      this.#path = undefined
    }
  }

  /** Sorts the buffer and appends it to the file as one run. */
  #spill(): void {
    if (this.#rows.length === 0) return
    const rows = this.#rows.sort(this.compare)
    this.#rows = []
    this.#bytes = 0
    const fd = this.#file()
    const start = this.#fileEnd
    let chunk = Buffer.allocUnsafe(WRITE_CHUNK_BYTES)
    let used = 0
    const flush = () => {
      let off = 0
      while (off < used) off += writeSync(fd, chunk, off, used - off, this.#fileEnd + off)
      this.#fileEnd += used
      used = 0
    }
    for (const row of rows) {
      const dataBytes = Buffer.byteLength(row.data, 'utf8')
      const prefixBytes = row.prefix?.length ?? 0
      const size = 1 + prefixBytes + 4 + dataBytes + 8
      if (used + size > chunk.length) {
        flush()
        if (size > chunk.length) chunk = Buffer.allocUnsafe(size)
      }
      chunk[used++] = row.prefix === undefined ? NO_PREFIX : prefixBytes
      if (row.prefix !== undefined) used += chunk.write(row.prefix, used, 'latin1')
      chunk.writeUInt32BE(dataBytes, used)
      used += 4
      used += chunk.write(row.data, used, 'utf8')
      chunk.writeBigInt64BE(row.diff, used)
      used += 8
    }
    flush()
    this.#runs.push({ start, end: this.#fileEnd })
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

  /** A k-way merge of the runs through a binary heap of their next rows. */
  *#merge(): Generator<SortRow> {
    const fd = this.#fd as number
    const chunk = Math.max(READ_CHUNK_MIN_BYTES, Math.min(READ_CHUNK_MAX_BYTES, Math.floor(this.memoryBytes / this.#runs.length)))
    const readers = this.#runs.map((run) => new RunReader(fd, run, chunk))
    const heap: { row: SortRow; reader: RunReader }[] = []
    for (const reader of readers) {
      const row = reader.next()
      if (row !== undefined) heap.push({ row, reader })
    }
    const less = (i: number, j: number) => this.compare((heap[i] as (typeof heap)[number]).row, (heap[j] as (typeof heap)[number]).row) < 0
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < heap.length && less(l, m)) m = l
        if (r < heap.length && less(r, m)) m = r
        if (m === i) return
        const t = heap[i] as (typeof heap)[number]
        heap[i] = heap[m] as (typeof heap)[number]
        heap[m] = t
        i = m
      }
    }
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i)
    while (heap.length > 0) {
      const top = heap[0] as (typeof heap)[number]
      yield top.row
      const next = top.reader.next()
      if (next !== undefined) top.row = next
      else {
        heap[0] = heap[heap.length - 1] as (typeof heap)[number]
        heap.pop()
      }
      down(0)
    }
  }
}

/** Reads one run's rows back, in order, through a small buffer. */
class RunReader {
  #buf: Buffer
  /** Valid bytes in the buffer are [#at, #len). */
  #at = 0
  #len = 0
  #pos: number

  constructor(
    private readonly fd: number,
    private readonly run: Run,
    chunkBytes: number,
  ) {
    this.#buf = Buffer.allocUnsafe(chunkBytes)
    this.#pos = run.start
  }

  next(): SortRow | undefined {
    if (!this.#ensure(1)) return undefined
    const prefixLen = this.#buf[this.#at] as number
    const prefixBytes = prefixLen === NO_PREFIX ? 0 : prefixLen
    this.#ensure(1 + prefixBytes + 4)
    let at = this.#at + 1
    const prefix = prefixLen === NO_PREFIX ? undefined : this.#buf.toString('latin1', at, at + prefixBytes)
    at += prefixBytes
    const dataBytes = this.#buf.readUInt32BE(at)
    const size = 1 + prefixBytes + 4 + dataBytes + 8
    this.#ensure(size)
    at = this.#at + 1 + prefixBytes + 4
    const data = this.#buf.toString('utf8', at, at + dataBytes)
    const diff = this.#buf.readBigInt64BE(at + dataBytes)
    this.#at += size
    return { data, diff, prefix }
  }

  /** Makes `n` bytes available at `#at` (false at the run's end); a run is never cut short. */
  #ensure(n: number): boolean {
    if (this.#len - this.#at >= n) return true
    const left = this.#len - this.#at
    if (left === 0 && this.#pos >= this.run.end) return false
    const buf = n > this.#buf.length ? Buffer.allocUnsafe(n) : this.#buf
    this.#buf.copy(buf, 0, this.#at, this.#len)
    this.#buf = buf
    this.#at = 0
    this.#len = left
    while (this.#len < n) {
      const want = Math.min(buf.length - this.#len, this.run.end - this.#pos)
      if (want <= 0) throw new Error('a sorted run ends inside a row')
      const got = readSync(this.fd, buf, this.#len, want, this.#pos)
      if (got === 0) throw new Error('the sort file ends inside a run')
      this.#len += got
      this.#pos += got
    }
    return true
  }
}
